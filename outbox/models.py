from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxMessage(models.Model):
    """A Celery task to send once the transaction that wrote it has committed.

    It is written in the same transaction as the change it follows, so the two commit or roll
    back together, and deleted only once the broker has accepted the task. Pending messages
    that share a dedupe key are one task: it is sent once, with the newest one's arguments.
    """

    task = models.CharField(max_length=200, help_text="The Celery task's registered name.")
    args = models.JSONField(default=list, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(
        default=0, help_text="Relays that tried to send it and failed."
    )

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["task", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="outbox_message_dedupe",
            )
        ]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"
