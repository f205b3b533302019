"""A coach hands an athlete over to another coach, named by username or email address."""

from django import forms

# An email address's longest: no username or address is longer.
COACH_NAME_MAX_LENGTH = 254


class HandoverForm(forms.Form):
    to_coach = forms.CharField(
        label="The coach who takes them over",
        help_text="Their username or email address. They accept the athlete on their side.",
        max_length=COACH_NAME_MAX_LENGTH,
        strip=True,
    )


class RosterRemoveForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, remove them from my roster",
        error_messages={"required": "Tick the box to confirm the removal."},
    )
