"""Settings forms: the athlete's own, a coach's own name, and what a coach sets per athlete."""

import zoneinfo

from django import forms

from athletes.forms.scheduling import TimeInput, numeric
from athletes.models import (
    COACH_NOTE_MAX_LENGTH,
    MAX_FRESHNESS_WINDOW_HOURS,
    MIN_FRESHNESS_WINDOW_HOURS,
    Athlete,
)

# Every zone the server's tz database knows, as the model's validator accepts them.
TIME_ZONE_CHOICES = [
    (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
]
NAME_MAX_LENGTH = 150  # the user model's first_name and last_name


class TimeZoneField(forms.ChoiceField):
    default_error_messages = {
        "invalid_choice": "Pick a time zone from the list, e.g. Europe/London.",
    }

    def __init__(self, **kwargs):
        super().__init__(choices=TIME_ZONE_CHOICES, **kwargs)


class SessionTimeField(forms.TimeField):
    widget = TimeInput
    default_error_messages = {"invalid": "Enter a time of day, e.g. 17:30."}


class NameForm(forms.Form):
    first_name = forms.CharField(
        max_length=NAME_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        max_length=NAME_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )


class AthleteSettingsForm(NameForm):
    time_zone = TimeZoneField(
        label="Time zone",
        help_text="Your sessions keep their time of day in the new zone: 17:30 stays 17:30.",
    )
    unit = forms.ChoiceField(
        label="Weights in",
        choices=Athlete.Unit.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose kg or lb."},
    )
    default_session_time = SessionTimeField(
        label="Default session time",
        help_text="The time of day new sessions are planned for.",
    )


class AthleteCoachingForm(forms.Form):
    freshness_window_hours = forms.IntegerField(
        label="Freshness window (hours)",
        min_value=MIN_FRESHNESS_WINDOW_HOURS,
        max_value=MAX_FRESHNESS_WINDOW_HOURS,
        widget=numeric(),
        help_text=(
            "No heavy strength this many hours before a race or key session "
            f"({MIN_FRESHNESS_WINDOW_HOURS} to {MAX_FRESHNESS_WINDOW_HOURS})."
        ),
        error_messages={
            "min_value": f"At least {MIN_FRESHNESS_WINDOW_HOURS} hours.",
            "max_value": f"At most {MAX_FRESHNESS_WINDOW_HOURS} hours.",
            "invalid": "Enter a whole number of hours, e.g. 36.",
        },
    )
    default_session_time = SessionTimeField(
        label="Default session time",
        help_text="The time of day new sessions are planned for.",
    )
    coach_note = forms.CharField(
        label="Private note",
        max_length=COACH_NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only you see it; the athlete never does.",
    )
