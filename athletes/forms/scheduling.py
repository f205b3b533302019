"""Forms for run events, weekly patterns, assignment, moving sessions and .ics import."""

import calendar
import datetime as dt
from dataclasses import replace

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from athletes.forms.idempotency import IdempotencyKeyField
from athletes.models import EASY_RUN_IS_NEVER_KEY, RunEvent
from athletes.services.run_events import MAX_PATTERN_WEEKS
from athletes.services.scheduling import FIRST_DAY, LAST_DAY

MAX_ICS_BYTES = 1024 * 1024
WEEKDAYS = list(enumerate(calendar.day_name))  # Monday = 0, as datetime counts


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CalendarDateField(forms.DateField):
    """A date picker limited to the years the calendars can show."""

    widget = DateInput
    default_validators = [
        MinValueValidator(FIRST_DAY, f"Pick a date from {FIRST_DAY.year} on."),
        MaxValueValidator(LAST_DAY, f"Pick a date up to {LAST_DAY.year}."),
    ]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def numeric(**attrs):
    return forms.NumberInput(attrs={"inputmode": "numeric", **attrs})


def distance_km_field():
    """A run's distance, optional, as typed on a phone: up to 500 km, to the metre."""
    return forms.DecimalField(
        label="Distance (km)",
        required=False,
        min_value=0.1,
        max_value=500,
        decimal_places=3,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )


class RunFieldsMixin(forms.Form):
    """What a race or run is, shared by the single-event form and the weekly pattern."""

    kind = forms.ChoiceField(choices=RunEvent.Kind.choices)
    name = forms.CharField(max_length=120, required=False, help_text="e.g. Riverside 5K")
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)", min_value=1, max_value=24 * 60, initial=45, widget=numeric()
    )
    distance_km = distance_km_field()
    priority = forms.ChoiceField(
        choices=[("", "—"), *RunEvent.Priority.choices],
        required=False,
        help_text="Races only: A is the one the block builds to.",
    )
    is_key = forms.BooleanField(
        label="Key session",
        required=False,
        help_text="Heavy strength is kept out of the hours before it.",
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == RunEvent.Kind.RACE and not data.get("priority"):
            self.add_error("priority", "Give the race a priority: A, B or C.")
        if data.get("kind") == RunEvent.Kind.EASY and data.get("is_key"):
            self.add_error("is_key", EASY_RUN_IS_NEVER_KEY)
        if data.get("kind") != RunEvent.Kind.RACE:
            data["priority"] = ""
        return data

    def event_fields(self) -> dict:
        data = self.cleaned_data
        distance = data.get("distance_km")
        return {
            "kind": data["kind"],
            "name": data["name"],
            "duration_minutes": data["duration_minutes"],
            "distance_m": round(distance * 1000) if distance else None,
            "priority": data["priority"],
            "is_key": data["is_key"],
        }


class RunEventForm(RunFieldsMixin):
    date = CalendarDateField()
    start_time = forms.TimeField(label="Start time", widget=TimeInput(), initial=dt.time(9, 0))

    field_order = ["kind", "name", "date", "start_time"]

    @classmethod
    def for_event(cls, event: RunEvent, tz, data=None):
        local = event.starts_at.astimezone(tz)
        initial = {
            "kind": event.kind,
            "name": event.name,
            "date": local.date(),
            "start_time": local.time(),
            "duration_minutes": event.duration_minutes,
            "distance_km": event.distance_m / 1000 if event.distance_m else None,
            "priority": event.priority,
            "is_key": event.is_key,
        }
        return cls(data=data, initial=initial)

    def starts_at(self, tz) -> dt.datetime:
        return dt.datetime.combine(
            self.cleaned_data["date"], self.cleaned_data["start_time"], tzinfo=tz
        )


class RunEventCreateForm(RunEventForm):
    idempotency_key = IdempotencyKeyField()


class WeeklyPatternForm(RunFieldsMixin):
    idempotency_key = IdempotencyKeyField()
    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, label="Every")
    start_time = forms.TimeField(label="At", widget=TimeInput(), initial=dt.time(18, 0))
    first_date = CalendarDateField(label="From")
    weeks = forms.IntegerField(
        label="For how many weeks",
        min_value=1,
        max_value=MAX_PATTERN_WEEKS,
        initial=8,
        widget=numeric(),
    )

    field_order = ["kind", "name", "weekday", "start_time", "first_date", "weeks"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A weekly pattern is training, rarely a race (which would ask for a priority first).
        self.fields["kind"].initial = RunEvent.Kind.EASY


class AssignForm(forms.Form):
    """Pick one of the coach's programs and any of the coach's athletes (querysets scoped by
    the view, so another coach's ids are simply not valid choices)."""

    program = forms.ModelChoiceField(queryset=None, empty_label="Choose a program")
    athletes = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Athletes"
    )
    start_date = CalendarDateField(label="Start (a Monday)", help_text="Weeks start on Monday.")
    replace_planned = forms.BooleanField(
        required=False,
        label="Replace sessions already planned from the start date",
        help_text="Their current program ends that Monday; sessions already logged stay.",
    )

    def __init__(self, *args, programs, athletes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["athletes"].queryset = athletes
        self.fields["athletes"].label_from_instance = _athlete_label

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if start.weekday() != 0:
            raise ValidationError("Programs start on a Monday.")
        return start


def _athlete_label(athlete) -> str:
    """The athlete, and how far their planned sessions already reach: a new block from a date
    before then replaces them or is refused."""
    until = getattr(athlete, "planned_until", None)
    if until is None:
        return str(athlete)
    return f"{athlete} (sessions planned until {until:%a %-d %b %Y})"


class SessionMoveForm(forms.Form):
    date = CalendarDateField(label="New date")
    time_of_day = forms.TimeField(label="Time", widget=TimeInput(), required=False)

    def __init__(self, *args, within: tuple[dt.date, dt.date] | None = None, **kwargs):
        """`within`: the first and last day the date picker offers (the athlete's week)."""
        super().__init__(*args, **kwargs)
        if within:
            self.fields["date"].widget.attrs.update(
                min=within[0].isoformat(), max=within[1].isoformat()
            )


class IcsImportForm(forms.Form):
    ics_file = forms.FileField(
        label="Calendar file (.ics)",
        help_text=(
            "Races and runs are imported, a repeating one for the year ahead; a re-import "
            "updates instead of duplicating."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,text/calendar"}),
    )

    def clean_ics_file(self):
        upload = self.cleaned_data["ics_file"]
        if upload.size > MAX_ICS_BYTES:
            raise ValidationError("The file is larger than 1 MB; export a shorter date range.")
        return upload.read()


class IcsImportPrioritiesForm(forms.Form):
    """A priority for each race an import preview would save, named by its place in the list:
    it starts at the file's, or the race's here, or B."""

    def __init__(self, data=None, *, runs, tz):
        super().__init__(data)
        self.runs = runs
        for index, run in enumerate(runs):
            if run.kind == RunEvent.Kind.RACE:
                self.fields[self.field_name(index)] = forms.ChoiceField(
                    label=f"Priority of {run.name or 'the race'} on "
                    f"{run.start.astimezone(tz):%a %-d %b %Y}",
                    choices=RunEvent.Priority.choices,
                    initial=run.priority,
                    required=False,  # not sent: the one the preview showed
                    widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
                )

    @staticmethod
    def field_name(index: int) -> str:
        return f"priority-{index}"

    def rows(self):
        """(run, its priority field or None) in the preview's order."""
        for index, run in enumerate(self.runs):
            name = self.field_name(index)
            yield run, self[name] if name in self.fields else None

    def runs_chosen(self) -> list:
        """The runs with the priorities chosen (call after is_valid())."""
        return [
            replace(run, priority=self.cleaned_data.get(self.field_name(index)) or run.priority)
            for index, run in enumerate(self.runs)
        ]
