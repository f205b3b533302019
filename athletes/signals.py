"""What the cache keeps about the conversation is read afresh when a comment or a thread changes,
however it changes: posted, edited, moved, deleted, or gone with its session, run or athlete
(deletes that cascade reach no service of ours)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from athletes.models import Comment, Thread
from athletes.services.conversation import UNREAD_GENERATION
from web.cache import generations_count_up


@receiver([post_save, post_delete], sender=Comment)
@receiver([post_save, post_delete], sender=Thread)
def unread_changed(**_):
    generations_count_up(UNREAD_GENERATION)
