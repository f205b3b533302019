import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac


class User(AbstractUser):
    """A person who signs in. Coaches build and assign; athletes train; staff are admins."""

    class Role(models.TextChoices):
        COACH = "coach", "Coach"
        ATHLETE = "athlete", "Athlete"

    role = models.CharField(max_length=16, choices=Role.choices, blank=True)
    # Part of every session's auth hash: bumping it on logout signs the user out everywhere.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["", "coach", "athlete"]), name="user_role_valid"
            ),
        ]

    def get_session_auth_hash(self):
        return self._session_auth_hash(settings.SECRET_KEY)

    def get_session_auth_fallback_hash(self):
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_auth_hash(fallback_secret)

    def _session_auth_hash(self, secret):
        return salted_hmac(
            "coach.User.session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_coach(self):
        return self.role == self.Role.COACH

    @property
    def is_athlete(self):
        return self.role == self.Role.ATHLETE


class BrowserSession(AbstractBaseSession):
    """A browser's session as Django's database store keeps it, with the user it is signed in
    as in a column of its own, written with it on every save (coach.sessions): each request
    reads its session and its user in one statement. No foreign key in the database: a
    session saved for a user deleted meanwhile is a signed-out session, not an error; a user
    deleted through Django takes their sessions with them."""

    user = models.ForeignKey(
        User, null=True, on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )

    @classmethod
    def get_session_store_class(cls):
        from coach.sessions import SessionStore

        return SessionStore


def new_invitation_token():
    return secrets.token_urlsafe(32)


def invitation_expiry():
    return timezone.now() + settings.INVITATION_VALID_FOR


class Invitation(models.Model):
    """A coach's single-use, expiring link through which an athlete creates their account."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    email = models.EmailField(blank=True)
    note = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=invitation_expiry)
    used_at = models.DateTimeField(null=True, blank=True)
    # A foreign key, not one-to-one: an athlete who moves to a new coach uses a second link.
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_invitations",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(used_at__isnull=True, used_by__isnull=True)
                | models.Q(used_at__isnull=False),
                name="invitation_used_by_needs_used_at",
            ),
        ]

    def __str__(self):
        return f"Invitation from {self.coach} ({self.token[:6]}…)"

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.used_at is None and now < self.expires_at
