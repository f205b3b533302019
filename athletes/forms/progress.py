"""Recording a transfer test on a phone: pick the kind, type the result, save."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import forms

from athletes.forms.idempotency import IdempotencyKeyField
from athletes.models import TransferTest
from athletes.rules.progress import TEST_KINDS, parse_duration, transfer_result_in_words

# Plausible results, so a slipped decimal point is caught on the form, not in the chart.
RESULT_RANGES = {
    "sprint": (Decimal(1), Decimal(120)),
    "hill": (Decimal(1), Decimal(600)),
    "bounding": (Decimal("0.5"), Decimal(60)),
    "tempo_rpe": (Decimal(1), Decimal(10)),
    "race_5k": (Decimal(480), Decimal(7200)),
}
MAX_SPLIT_SECONDS = 3600
RESULT_EXAMPLES = {
    "sprint": "8.15",
    "hill": "12.4",
    "bounding": "11.8",
    "tempo_rpe": "6",
    "race_5k": "19:45",
}


class TransferTestForm(forms.Form):
    kind = forms.ChoiceField(label="Test", choices=TransferTest.Kind.choices)
    date = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    result = forms.CharField(
        max_length=12,
        help_text="Seconds or m:ss for times, metres for bounding, 1–10 for tempo RPE.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    detail = forms.CharField(
        max_length=80, required=False, help_text="e.g. 60 m, 5 bounds, 4:00/km, parkrun."
    )
    splits = forms.CharField(
        label="Splits (5K)",
        max_length=200,
        required=False,
        help_text="Kilometre splits as m:ss, separated by spaces, e.g. 3:55 3:58 4:01.",
    )
    notes = forms.CharField(max_length=200, required=False)
    idempotency_key = IdempotencyKeyField()

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["date"].initial = today

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > self.today:
            raise forms.ValidationError("A test can't be dated in the future.")
        return date

    def clean(self):
        cleaned = super().clean()
        kind, text = cleaned.get("kind"), cleaned.get("result")
        if not kind or not text:
            return cleaned
        spec = TEST_KINDS[kind]
        if spec.is_time:
            value = parse_duration(text)
        else:
            try:
                value = Decimal(text.strip().replace(",", "."))
            except InvalidOperation:
                value = None
        if value is None or not value.is_finite():
            what = "a time" if spec.is_time else "a number"
            self.add_error("result", f"Enter {what}, like {RESULT_EXAMPLES[kind]}.")
            return cleaned
        low, high = RESULT_RANGES[kind]
        if not low <= value <= high:
            self.add_error(
                "result",
                f"Expected between {transfer_result_in_words(kind, low)} and "
                f"{transfer_result_in_words(kind, high)}.",
            )
            return cleaned
        cleaned["value"] = value.quantize(Decimal("0.01"))
        cleaned["split_seconds"] = self._splits(kind, cleaned.get("splits", ""))
        return cleaned

    def _splits(self, kind: str, text: str) -> list[Decimal]:
        parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
        if parts and kind != "race_5k":
            self.add_error("splits", "Splits are for 5K results.")
            return []
        seconds = [parse_duration(p) for p in parts]
        if any(s is None or not 0 < s <= MAX_SPLIT_SECONDS for s in seconds):
            self.add_error("splits", "Write each split as m:ss, e.g. 3:55 3:58 4:01.")
            return []
        if len(seconds) > 10:
            self.add_error("splits", "At most 10 splits (one per kilometre and a bit).")
            return []
        return seconds
