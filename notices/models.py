import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from notices.rules import in_quiet_hours


class Kind(models.TextChoices):
    COMMENT = "comment", "New comments"
    FLAG = "flag", "New flags on my athletes"
    REMINDER = "reminder", "Reminders of the day's session"
    MOVED = "moved", "A session of mine was moved"
    MISSED = "missed", "A note the day after a missed session"


class Notice(models.Model):
    """Something one user is told: listed in the app, and emailed unless they turned its kind
    off. `key` names what it is about ("comment:<id>", "reminder:<session>:<date>"): one notice
    per key and recipient, so a task that runs twice or late tells them once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    # A path on our site ("/sessions/12/"); the email makes it absolute.
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once the email that carried it has gone, or when it is not to be emailed.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient"], condition=Q(emailed_at__isnull=True), name="notice_unsent"
            )
        ]
        constraints = [
            models.UniqueConstraint("recipient", "key", name="notice_once_per_recipient"),
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in Kind]), name="notice_kind_valid"
            ),
        ]

    def __str__(self):
        return self.title


class NoticeSettings(models.Model):
    """A user's choices about notices, and when they were last emailed (the 10-minute batch)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_settings"
    )
    # The kinds the user turned off: still listed in the app (reminders are not made at all).
    kinds_off = models.JSONField(default=list, blank=True)
    quiet_from = models.TimeField(null=True, blank=True)
    quiet_until = models.TimeField(null=True, blank=True)
    last_emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_from__isnull=True, quiet_until__isnull=True)
                | Q(quiet_from__isnull=False, quiet_until__isnull=False),
                name="notice_settings_quiet_hours_both_or_neither",
            ),
        ]

    def __str__(self):
        return f"Notice settings of {self.user}"

    def wants(self, kind: str) -> bool:
        return kind not in self.kinds_off

    def quiet_at(self, local_time: dt.time) -> bool:
        return in_quiet_hours(local_time, self.quiet_from, self.quiet_until)
