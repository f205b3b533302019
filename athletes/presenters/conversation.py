"""What a thread shows: its comments, which of them the viewer may still edit, and the form."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from athletes.forms.conversation import CommentForm
from athletes.models import Comment, RunDone, RunEvent, ScheduledSession
from athletes.rules.conversation import comment_editable
from athletes.selectors.conversation import comments_of, thread_of


@dataclass
class CommentRow:
    comment: Comment
    own: bool
    editable: bool


def thread_context(user, subject, *, comment_form=None) -> dict:
    """The thread about `subject` for `user` to read and write in (2 queries), and whether it
    holds a comment by someone else the user has not read yet."""
    thread = thread_of(subject, reader=user)
    now = timezone.now()
    rows = [
        CommentRow(
            comment=comment,
            own=comment.author_id == user.pk,
            editable=comment.author_id == user.pk and comment_editable(comment.created_at, now),
        )
        for comment in comments_of(thread)
    ]
    return {
        "thread": thread,
        "comment_rows": rows,
        "thread_unread": any(
            not row.own and (thread.read_at is None or row.comment.created_at > thread.read_at)
            for row in rows
        ),
        "comment_form": comment_form or CommentForm(auto_id="comment-%s"),
        "comment_post_url": _post_url(subject),
    }


POST_URLS = {
    ScheduledSession: "athletes:session-comment-post",
    RunEvent: "athletes:run-event-comment-post",
    RunDone: "athletes:run-done-comment-post",
}


def _post_url(subject) -> str:
    return reverse(POST_URLS[type(subject)], args=[subject.pk])
