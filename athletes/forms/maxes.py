"""Entering a tested one-rep max: the lift, the load lifted once, the day."""

import datetime as dt

from django import forms

from athletes.rules import strength
from programs.models import Exercise


class OneRepMaxForm(forms.Form):
    exercise = forms.ModelChoiceField(
        label="Lift",
        queryset=Exercise.objects.filter(
            category=Exercise.Category.STRENGTH, status=Exercise.Status.PUBLISHED
        ).order_by("name"),
        error_messages={"invalid_choice": "Choose a lift from the list."},
    )
    load = forms.DecimalField(
        min_value=0,
        max_digits=6,
        decimal_places=2,
        error_messages={
            "required": "Enter the load you lifted once.",
            "min_value": "Load can't be negative.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    tested_on = forms.DateField(
        label="Tested on", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def __init__(self, *args, unit: str, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.today = today
        self.fields["load"].label = f"Load lifted once ({unit})"
        self.fields["tested_on"].initial = today

    def clean_load(self):
        """The load as entered, in the athlete's unit."""
        load = strength.Load(self.cleaned_data["load"], self.unit)
        limit = strength.load_in_unit(strength.MAX_LOAD_KG, self.unit)
        if not load.amount:
            raise forms.ValidationError("Enter the load you lifted once.")
        if load.kg > strength.MAX_LOAD_KG:
            limit_words = strength.number_in_words(limit)
            raise forms.ValidationError(f"Loads go up to {limit_words} {self.unit}.")
        return load

    def clean_tested_on(self):
        tested_on = self.cleaned_data["tested_on"]
        if tested_on > self.today:
            raise forms.ValidationError("A max can't be dated in the future.")
        return tested_on
