"""Input checks for logging, mirroring the database constraints with messages a lifter reads."""

from decimal import Decimal

from django import forms

from athletes.models import SetLog
from athletes.rules import strength
from web.access import MAX_ID


def rpe_field(label):
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=1,
        max_value=10,
        step_size=Decimal("0.5"),
        max_digits=3,
        decimal_places=1,
        error_messages={
            "min_value": "RPE is from 1 (very easy) to 10 (nothing left).",
            "max_value": "RPE is from 1 (very easy) to 10 (nothing left).",
            "step_size": "RPE goes in half points: 7, 7.5, 8.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
    )


class SetLogForm(forms.Form):
    """One set. The id is made on the device, so sending the same form twice is one set."""

    id = forms.UUIDField(widget=forms.HiddenInput)
    # Within the database's ids: the service looks it up inside the session's locked read.
    prescription = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    set_number = forms.IntegerField(
        min_value=1, max_value=strength.MAX_SET_NUMBER, widget=forms.HiddenInput
    )
    side = forms.ChoiceField(choices=SetLog.Side.choices, required=False)
    reps = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=strength.MAX_REPS,
        error_messages={
            "min_value": "Reps can't be negative.",
            "max_value": f"More than {strength.MAX_REPS} reps? Check the number.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    load = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        error_messages={"min_value": "Load can't be negative."},
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    hold_seconds = forms.IntegerField(
        label="Hold (s)",
        required=False,
        min_value=1,
        max_value=strength.MAX_HOLD_SECONDS,
        error_messages={
            "min_value": "A hold lasts at least a second.",
            "max_value": "Holds are logged up to 10 minutes.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    rpe = rpe_field("RPE")

    def __init__(self, *args, unit=strength.KG, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["load"].label = f"Load ({unit})"
        # The page checks the limits offline too, in the athlete's unit and with these words.
        self.fields["load"].widget.attrs["max"] = strength.number_in_words(
            strength.load_in_unit(strength.MAX_LOAD_KG, unit)
        )
        self.fields["load"].error_messages["max_value"] = self.load_too_high_message()
        for name in ("reps", "load", "hold_seconds", "rpe"):
            field = self.fields[name]
            field.widget.attrs["data-too-low"] = field.error_messages["min_value"]
            field.widget.attrs["data-too-high"] = field.error_messages["max_value"]

    def load_too_high_message(self):
        limit = self.fields["load"].widget.attrs["max"]
        return f"Loads go up to {limit} {self.unit}. Check the number."

    def clean_load(self):
        """The load as entered, in the athlete's unit: what the set will read back as."""
        amount = self.cleaned_data["load"]
        if amount is None:
            return None
        load = strength.Load(amount, self.unit)
        if load.kg > strength.MAX_LOAD_KG:
            raise forms.ValidationError(self.load_too_high_message())
        return load

    def clean(self):
        cleaned = super().clean()
        if not self.errors and cleaned.get("reps") is None and cleaned.get("hold_seconds") is None:
            self.add_error("reps", "Enter the reps (or the hold time).")
        return cleaned

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "set_id": data["id"],
            "prescription_id": data["prescription"],
            "set_number": data["set_number"],
            "side": data["side"],
            "reps": data["reps"],
            "load": data["load"],
            "hold_seconds": data["hold_seconds"],
            "rpe": data["rpe"],
        }


class SessionCompleteForm(forms.Form):
    session_rpe = forms.IntegerField(
        label="Session RPE (1–10)",
        min_value=1,
        max_value=10,
        error_messages={
            "required": "How hard was the whole session, from 1 to 10?",
            "min_value": "Session RPE is from 1 to 10.",
            "max_value": "Session RPE is from 1 to 10.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    actual_minutes = forms.IntegerField(
        label="Minutes",
        required=False,
        min_value=1,
        max_value=600,
        error_messages={
            "min_value": "At least a minute.",
            "max_value": "Sessions are logged up to 10 hours.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label="Note for your coach",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SessionSkipForm(forms.Form):
    skip_reason = forms.CharField(
        label="Why are you skipping it?",
        max_length=200,
        error_messages={"required": "Say why, so your coach knows."},
    )
