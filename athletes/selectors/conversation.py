"""Reads of the conversation: a thread with its comments, and what is unread for whom.

Unread: a thread has something unread for a user when it holds a comment by someone else
made after the user last read it (or never read it). Each count below is one query whatever
the number of threads.
"""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from athletes.models import Comment, RunDone, RunEvent, ScheduledSession, Thread, ThreadRead
from athletes.selectors.scoping import owned_by
from athletes.services.conversation import unread_generations
from web.cache import kept_until_changed


def comments_of(thread: Thread | None):
    if thread is None:
        return []
    return list(thread.comments.select_related("author").order_by("created_at", "id"))


def thread_of(subject: ScheduledSession | RunEvent | RunDone, reader=None) -> Thread | None:
    """The thread about a session or run, or None before anyone wrote in it; with a `reader`,
    when they last read it as `thread.read_at` (None: never)."""
    threads = Thread.objects.filter(**{Thread.field_for(subject): subject})
    if reader is not None:
        read_at = ThreadRead.objects.filter(thread=OuterRef("pk"), user=reader).values("read_at")
        threads = threads.annotate(read_at=Subquery(read_at))
    return threads.first()


def _unread_for(user):
    """Threads of `user`'s (their own as an athlete, their athletes' as a coach) with a comment
    by someone else after the user last read them."""
    read_at = ThreadRead.objects.filter(thread=OuterRef("thread"), user=user).values("read_at")
    newer = Comment.objects.filter(thread=OuterRef("pk")).exclude(author=user)
    newer = newer.filter(Q(created_at__gt=Subquery(read_at)) | ~Exists(read_at))
    return owned_by(user, Thread.objects.all()).filter(Exists(newer))


def unread_thread_count(user) -> int:
    """Kept in the cache until a comment, a thread, a coaching or the user's reading changes
    it: the navigation shows it on every page of a coach's."""
    return kept_until_changed(
        f"unread-threads:{user.pk}",
        unread_generations(user),
        lambda: _unread_for(user).count(),  # built only when not kept: building costs most
    )


def unread_threads_per_athlete(user):
    """An annotation for a queryset of athletes: how many of each one's threads have
    something unread for `user` (a subquery: the listing stays one query)."""
    counted = (
        _unread_for(user)
        .filter(athlete=OuterRef("pk"))
        .order_by()
        .values("athlete")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def threads_unread_for_coach(coach):
    """The coach's threads with something unread, newest activity first, with their athlete
    and subject: which athletes wrote."""
    return list(
        _unread_for(coach)
        .select_related("athlete__user", "scheduled_session", "run_event", "run_done")
        .order_by("-pk")
    )


def session_ids_unread(user, sessions) -> set[int]:
    """Which of `sessions` have a new reply for `user` (one query)."""
    ids = [session.pk for session in sessions if session is not None]
    if not ids:
        return set()
    return set(
        _unread_for(user)
        .filter(scheduled_session_id__in=ids)
        .values_list("scheduled_session_id", flat=True)
    )


def comment_get_for_user(user, comment_id):
    """A comment in a thread `user` may see, or None."""
    return (
        Comment.objects.filter(thread__in=owned_by(user, Thread.objects.all()), pk=comment_id)
        .select_related(
            "thread__scheduled_session",
            "thread__run_event",
            "thread__run_done",
            "thread__athlete",
        )
        .first()
    )
