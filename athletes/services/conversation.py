"""Writes of the conversation: post, edit and delete comments, mark a thread read, and tell
the other side.

A comment's id is made on the author's device, so a retried post (a double tap, the phone's
queue sending again after a lost answer) stores it once and notifies once: the notice's key is
the comment's id.
"""

import datetime as dt
import uuid

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from athletes.models import (
    COMMENT_MAX_LENGTH,
    Athlete,
    Comment,
    RunDone,
    RunEvent,
    ScheduledSession,
    Thread,
    ThreadRead,
)
from athletes.rules.conversation import body_problem, comment_editable, quoted
from notices.models import Kind
from notices.services import notice_send
from web.cache import table_generation, viewer_generation, writes_counted_as

# athletes/migrations/0014 made the comments of notes written before threads with these ids.
COMPLETION_NOTE = uuid.UUID("6f1c39b2-5d0e-4c39-9a53-3f1c2f4b9e10")


# And athletes/migrations/0018 made the comments of runs' notes written before with these.
RUN_NOTE = uuid.UUID("0b7a6c1e-2f4d-4e8a-9c3b-5d6e7f809a1b")

# A thread is about a strength session, a planned run, or an unplanned run done.
Subject = ScheduledSession | RunEvent | RunDone
SUBJECT_PAGES = {
    ScheduledSession: "athletes:session-detail",
    RunEvent: "athletes:run-event-detail",
    RunDone: "athletes:run-done-detail",
}


def completion_note_comment_id(session_id: int, body: str) -> uuid.UUID:
    """A completion note's comment id: completing again with the same note (a retry from the
    phone's queue, a reopen and complete) posts it once."""
    return uuid.uuid5(COMPLETION_NOTE, f"{session_id}:{body}")


def run_note_comment_id(run_id: int, body: str) -> uuid.UUID:
    """The comment id of the note given with a run done: the same note on the same run is one
    comment."""
    return uuid.uuid5(RUN_NOTE, f"{run_id}:{body}")


def subject_url(subject: Subject) -> str:
    return reverse(SUBJECT_PAGES[type(subject)], args=[subject.pk])


def _subject_title(subject: Subject) -> str:
    """Its name and day, e.g. "Day A, Wed 2 Dec". A session's __str__ holds its ISO date
    already, so its bare name is used: the title says the day once."""
    label = subject.name if isinstance(subject, ScheduledSession) else str(subject)
    starts_at = subject.started_at if isinstance(subject, RunDone) else subject.starts_at
    return f"{label}, {subject.athlete.date_at(starts_at):%a %-d %b}"


def _checked_body(body: str) -> str:
    body = body.strip()
    problem = body_problem(body, COMMENT_MAX_LENGTH)
    if problem:
        raise ValidationError({"body": problem})
    return body


def _thread_for(subject: Subject) -> Thread:
    thread, _ = Thread.objects.get_or_create(
        **{Thread.field_for(subject): subject}, defaults={"athlete_id": subject.athlete_id}
    )
    return thread


def unread_generations(user) -> list[str]:
    """The generations a count of what is unread for `user` is kept under: those of the tables
    it reads (comments and threads, which go too when their session, run or athlete goes; the
    marks of who read what; who coaches whom; who is a coach), counted up by every write to
    them (web/cache.py), and the user's own, which their reading counts up instead of its
    table's (thread_mark_read)."""
    tables = (Comment, Thread, ThreadRead, Athlete, get_user_model())
    return [
        *(table_generation(model._meta.db_table) for model in tables),
        viewer_generation(user.pk),
    ]


def thread_mark_read(user, thread: Thread | None, *, now: dt.datetime | None = None) -> None:
    """The user has seen everything in `thread` up to now (one statement)."""
    if thread is None:
        return
    # What a user has read shows on their own pages only.
    with writes_counted_as({ThreadRead: [viewer_generation(user.pk)]}):
        ThreadRead.objects.bulk_create(
            [ThreadRead(thread=thread, user=user, read_at=now or timezone.now())],
            update_conflicts=True,
            unique_fields=["thread", "user"],
            update_fields=["read_at"],
        )


@transaction.atomic
def comment_post(
    *, author, subject: Subject, comment_id: uuid.UUID, body: str
) -> tuple[Comment, bool]:
    """Post `body` on the thread about `subject` (a session or run `author` may see) under the
    id the device made. Returns (the comment, whether it is new); the same id again is the same
    comment. The other side (the athlete's coach, or the athlete) is told once; an athlete
    without a coach writes for their own record, telling no one."""
    existing = Comment.objects.filter(pk=comment_id).select_related("thread").first()
    if existing is not None:
        if existing.author_id != author.pk or existing.thread.athlete_id != subject.athlete_id:
            raise ValidationError("This comment id is taken.", code="id_taken")
        return existing, False
    body = _checked_body(body)
    thread = _thread_for(subject)
    now = timezone.now()
    comment = Comment.objects.create(
        id=comment_id, thread=thread, author=author, body=body, created_at=now
    )
    thread_mark_read(author, thread, now=now)
    athlete = subject.athlete
    recipient = athlete.coach if author.pk == athlete.user_id else athlete.user
    if recipient is None:
        return comment, True
    name = author.get_full_name() or author.username
    notice_send(
        recipient=recipient,
        kind=Kind.COMMENT,
        key=f"comment:{comment.pk}",
        title=f"{name} on {_subject_title(subject)}",
        body=quoted(body),
        url=subject_url(subject),
    )
    return comment, True


@transaction.atomic
def thread_move(*, source: Subject, target: Subject) -> None:
    """What was said about `source` is said about `target` from now on (an unplanned run found
    to be a planned one): its thread becomes target's, or when target has one already, its
    comments join that one, each keeping its author and time. No one is told again."""
    moving = Thread.objects.filter(**{Thread.field_for(source): source}).first()
    if moving is None:
        return
    staying = Thread.objects.filter(**{Thread.field_for(target): target}).first()
    if staying is None:
        # The whole thread moves, with how far each side had read it.
        setattr(moving, Thread.field_for(source), None)
        setattr(moving, Thread.field_for(target), target)
        moving.save()
        return
    moving.comments.update(thread=staying)
    moving.delete()


def _own_comment_locked(author, comment: Comment) -> Comment:
    locked = Comment.objects.select_for_update().filter(pk=comment.pk, author=author).first()
    if locked is None:
        raise ValidationError("Only its author can change a comment.", code="not_author")
    return locked


@transaction.atomic(durable=True)
def comment_edit(*, author, comment: Comment, body: str) -> Comment:
    """Correct one's own comment within the edit window."""
    comment = _own_comment_locked(author, comment)
    now = timezone.now()
    if not comment_editable(comment.created_at, now):
        raise ValidationError(
            {"body": "A comment can be edited for 10 minutes. Delete it and write a new one."}
        )
    comment.body = _checked_body(body)
    comment.edited_at = now
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic(durable=True)
def comment_delete(*, author, comment: Comment) -> None:
    """Delete one's own comment (twice is once: a second delete finds nothing)."""
    Comment.objects.filter(pk=comment.pk, author=author).delete()
