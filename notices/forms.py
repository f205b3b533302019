from django import forms

from notices.models import Kind

COACH_KINDS = (Kind.COMMENT, Kind.FLAG)
ATHLETE_KINDS = (Kind.COMMENT, Kind.REMINDER, Kind.MOVED, Kind.MISSED)


def kinds_for(user) -> tuple[Kind, ...]:
    return COACH_KINDS if user.is_coach else ATHLETE_KINDS


class NoticePreferencesForm(forms.Form):
    kinds_on = forms.MultipleChoiceField(
        label="Send me", required=False, widget=forms.CheckboxSelectMultiple
    )
    quiet_from = forms.TimeField(
        label="Quiet from", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_until = forms.TimeField(
        label="Quiet until", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds_on"].choices = [(kind.value, kind.label) for kind in kinds_for(user)]
        self.kinds_shown = [kind.value for kind in kinds_for(user)]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("quiet_from"), cleaned.get("quiet_until")
        if (start is None) != (end is None) and not self.errors:
            missing = "quiet_until" if end is None else "quiet_from"
            self.add_error(missing, "Give both ends of the quiet hours, or neither.")
        return cleaned

    def kinds_on_with_hidden(self, kinds_off: list[str]) -> list[str]:
        """The kinds on: those ticked, and those this role's page does not show kept as they
        were."""
        hidden_on = [kind for kind in Kind.values if kind not in self.kinds_shown]
        return [*self.cleaned_data["kinds_on"], *(k for k in hidden_on if k not in kinds_off)]
