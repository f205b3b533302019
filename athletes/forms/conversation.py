"""A comment's text and the id its device made for it."""

from django import forms

from athletes.models import COMMENT_MAX_LENGTH
from web.kept_pages import fresh_id


class CommentForm(forms.Form):
    # Made when the form is shown (the phone's script makes one per message): a resubmit or a
    # retry from the queue carries the same id and stores the comment once.
    comment_id = forms.UUIDField(widget=forms.HiddenInput, initial=fresh_id)
    body = forms.CharField(
        label="Your comment",
        max_length=COMMENT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write something first."},
    )


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write something, or delete the comment."},
    )
