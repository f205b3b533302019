"""What the navigation shows on every page."""

from django.utils.functional import SimpleLazyObject

from athletes.selectors.conversation import unread_thread_count


def unread_comments(request):
    """The coach's count of threads with something unread (one query, only on pages that
    show it: the navigation of a signed-in coach)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_coach:
        return {"unread_threads": 0}
    return {"unread_threads": SimpleLazyObject(lambda: unread_thread_count(user))}
