"""The hidden key that makes a create form's post safe to repeat."""

import uuid

from django import forms


class IdempotencyKeyField(forms.UUIDField):
    """A fresh id each time the form is shown: a resubmitted or retried post carries the same
    one, so the service creates once and answers the repeat with the first result."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, initial=uuid.uuid4, **kwargs)
