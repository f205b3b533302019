"""Runs done: watch files uploaded several at once, a run entered by hand (with a note for the
run's thread), and a run's RPE and the planned run it was."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from athletes.forms.idempotency import IdempotencyKeyField
from athletes.forms.scheduling import CalendarDateField, TimeInput, distance_km_field, numeric
from athletes.models import COMMENT_MAX_LENGTH, RunEvent
from athletes.rules.progress import parse_duration
from athletes.services.activity_files import MAX_ACTIVITY_BYTES, MAX_FILES_AT_ONCE, TOO_LARGE

UNPLANNED = ""
RPE_HELP = "How hard the whole run felt: 1 very easy, 5 steady, 8 hard, 10 flat out."


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ActivityFilesField(forms.FileField):
    """Several files from one input; each is checked for size alone, in ActivityUploadForm."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if not files:
            raise ValidationError("Choose one or more files from the watch.")
        return [super(ActivityFilesField, self).clean(f, initial) for f in files]


class ActivityUploadForm(forms.Form):
    files = ActivityFilesField(
        label="Activity files (.fit, .gpx, .tcx)",
        help_text=(
            f"Up to {MAX_FILES_AT_ONCE} at once, {MAX_ACTIVITY_BYTES // (1024 * 1024)} MB each. "
            "Only the summary and per-km splits are kept: never the route or GPS points, and "
            "the file itself is deleted once read."
        ),
        widget=MultipleFileInput(attrs={"accept": ".fit,.gpx,.tcx"}),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES_AT_ONCE:
            raise ValidationError(
                f"That is {len(files)} files: upload up to {MAX_FILES_AT_ONCE} at once."
            )
        return files

    def readable(self) -> tuple[list[tuple[str, bytes]], list[tuple[str, str]]]:
        """(name, bytes) of each file within the size limit, and (name, why) for the rest.
        The upload is read into memory and dropped with the request: nothing is stored."""
        kept, refused = [], []
        for upload in self.cleaned_data["files"]:
            name = upload.name[:120]
            if upload.size > MAX_ACTIVITY_BYTES:
                refused.append((name, TOO_LARGE))
            else:
                kept.append((name, upload.read()))
            upload.close()
        return kept, refused


def _rpe_field():
    return forms.IntegerField(
        label="RPE (1–10)",
        min_value=1,
        max_value=10,
        required=False,
        help_text=RPE_HELP,
        widget=numeric(min=1, max=10),
    )


class RunDoneForm(forms.Form):
    """A run entered by hand: the planned run it was (fixed by the page), or an unplanned one."""

    kind = forms.ChoiceField(choices=RunEvent.Kind.choices, initial=RunEvent.Kind.EASY)
    date = CalendarDateField()
    start_time = forms.TimeField(label="Start time", widget=TimeInput(), initial=dt.time(7, 0))
    duration = forms.CharField(
        label="Duration (h:mm:ss or mm:ss)",
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    distance_km = distance_km_field()
    rpe = _rpe_field()
    note = forms.CharField(
        label="Note for your coach",
        help_text="Posted as your comment on this run, where your coach can reply.",
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    idempotency_key = IdempotencyKeyField()

    def __init__(
        self,
        *args,
        today: dt.date,
        planned: RunEvent | None = None,
        for_coach: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.today = today
        if planned is not None:  # its kind is the planned run's
            del self.fields["kind"]
        if for_coach:
            self.fields["note"].label = "Comment for the athlete"
            self.fields["note"].help_text = "Posted as your comment on this run."

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > self.today:
            raise ValidationError("A run done can't be dated in the future.")
        return date

    def clean_duration(self):
        seconds = parse_duration(self.cleaned_data["duration"])
        if seconds is None or not 60 <= seconds <= 48 * 3600:
            raise ValidationError("Enter how long the run took, like 45:00 or 1:05:30.")
        return round(seconds)

    def starts_at(self, tz) -> dt.datetime:
        return dt.datetime.combine(
            self.cleaned_data["date"], self.cleaned_data["start_time"], tzinfo=tz
        )

    def distance_m(self) -> int | None:
        distance = self.cleaned_data.get("distance_km")
        return round(distance * 1000) if distance else None


class RunDoneEditForm(forms.Form):
    """The athlete's RPE for a run, and which planned run of its day it was. (What was said
    about it is in its thread, edited there.)"""

    planned = forms.ChoiceField(label="Planned run", required=False)
    kind = forms.ChoiceField(
        label="Kind (when unplanned)", choices=RunEvent.Kind.choices, required=False
    )
    rpe = _rpe_field()

    def __init__(self, *args, candidates: list[RunEvent], tz, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(event.pk): event for event in candidates}
        self.fields["planned"].choices = [
            (UNPLANNED, "Unplanned run"),
            *(
                (pk, f"{event} at {event.starts_at.astimezone(tz):%H:%M}")
                for pk, event in self.candidates.items()
            ),
        ]

    def run_event(self) -> RunEvent | None:
        return self.candidates.get(self.cleaned_data["planned"])

    def clean(self):
        data = super().clean()
        if not data.get("planned") and not data.get("kind"):
            data["kind"] = RunEvent.Kind.EASY
        return data
