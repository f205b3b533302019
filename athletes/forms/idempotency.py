"""The hidden key that makes a create form's post safe to repeat."""

from django import forms

from web.kept_pages import fresh_id


class IdempotencyKeyField(forms.UUIDField):
    """A fresh id each time the form is shown: a resubmitted or retried post carries the same
    one, so the service creates once and answers the repeat with the first result."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, initial=fresh_id, **kwargs)
