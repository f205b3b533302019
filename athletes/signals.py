"""What the cache keeps about the conversation is read afresh when what it counts changes,
however it changes: a comment or thread posted, edited, moved, deleted or gone with its session,
run or athlete (deletes that cascade reach no service of ours), and who coaches an athlete or
whether a user is a coach, changed by a service or in the admin."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from athletes.models import Athlete, Comment, Thread
from athletes.services.conversation import UNREAD_GENERATION
from web.cache import generations_count_up


@receiver([post_save, post_delete], sender=Comment)
@receiver([post_save, post_delete], sender=Thread)
def unread_changed(**_):
    generations_count_up(UNREAD_GENERATION)


def _saved(update_fields, names) -> bool:
    """Whether a save may have changed any of `names` (a save of every field may have)."""
    return update_fields is None or not update_fields.isdisjoint(names)


@receiver(post_save, sender=Athlete)
def coaching_changed(update_fields=None, **_):
    if _saved(update_fields, {"coach", "coached_since"}):
        generations_count_up(UNREAD_GENERATION)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def role_changed(update_fields=None, **_):
    if _saved(update_fields, {"role"}):
        generations_count_up(UNREAD_GENERATION)
