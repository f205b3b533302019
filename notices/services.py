"""Notices: made once per key and recipient, listed in the app, emailed in batches.

`notice_send` is called inside the transaction of whatever the notice is about (a comment, a
reminder job's run, a move); the email follows through the outbox, so a broker outage delays it
and never loses it. `notices_email_send` sends one user everything not yet emailed, at most once
per EMAIL_BATCH_WINDOW: notices that come in meanwhile wait for beat's
`notices_email_pending`, which sends every batch that is due. The recipient's settings row is
locked while their email goes and marks its notices sent, so two workers running the same task
send one email: the second finds nothing left.
"""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Min
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from notices.models import Kind, Notice, NoticeSettings
from notices.rules import EMAIL_BATCH_WINDOW, next_email_at
from outbox.services import outbox_enqueue

log = logging.getLogger(__name__)

EMAIL_TASK = "notices.tasks.notices_email_send"
UNSUBSCRIBE_SALT = "notices.unsubscribe"
TITLE_MAX_LENGTH = Notice._meta.get_field("title").max_length


def notice_settings_for(user) -> NoticeSettings:
    """The user's choices; the defaults (unsaved) until they first change one."""
    return NoticeSettings.objects.filter(user=user).first() or NoticeSettings(user=user)


def _notice_settings_locked(user) -> NoticeSettings:
    """The user's choices, saved if they were still the defaults, locked until commit."""
    NoticeSettings.objects.get_or_create(user=user)
    return NoticeSettings.objects.select_for_update().get(user=user)


def notice_send(
    *, recipient, kind: str, key: str, title: str, body: str = "", url: str = ""
) -> Notice | None:
    """Tell `recipient` once about `key`: the notice, and its email through the outbox unless
    they turned the kind off. Returns the new notice, or None when they were already told."""
    now = timezone.now()
    wanted = notice_settings_for(recipient).wants(kind) and bool(recipient.email)
    # The unique key decides, in the database: two jobs making the same notice make one.
    notice, created = Notice.objects.get_or_create(
        recipient=recipient,
        key=key,
        defaults={
            "kind": kind,
            # Titles quote names (up to 300 characters for first and last): cut, never refuse.
            "title": Truncator(title).chars(TITLE_MAX_LENGTH),
            "body": body,
            "url": url,
            "created_at": now,
            "emailed_at": None if wanted else now,
        },
    )
    if not created:
        return None
    if wanted:
        outbox_enqueue(EMAIL_TASK, [recipient.pk], dedupe_key=f"notices-email:{recipient.pk}")
    return notice


def notices_email_send(user_id: int, *, now: dt.datetime | None = None) -> int:
    """Email user `user_id` every notice of theirs not yet emailed, as one message, unless one
    went to them less than EMAIL_BATCH_WINDOW ago (then beat's sweep sends it when due).
    Returns the emails sent (0 or 1). A failed send rolls back: the notices wait."""
    now = now or timezone.now()
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return 0
    with transaction.atomic():
        choices = _notice_settings_locked(user)
        if next_email_at(choices.last_emailed_at, now) > now:
            return 0
        pending = list(
            Notice.objects.filter(recipient=user, emailed_at__isnull=True).order_by("created_at")
        )
        wanted = [notice for notice in pending if choices.wants(notice.kind)]
        Notice.objects.filter(pk__in=[notice.pk for notice in pending]).update(emailed_at=now)
        if not wanted or not user.email:
            return 0
        notices_email(user, wanted).send()
        choices.last_emailed_at = now
        choices.save(update_fields=["last_emailed_at"])
    return 1


def notices_email(user, notices: list[Notice]) -> EmailMessage:
    """The one email that carries `notices` to `user`, with a one-click unsubscribe from
    their kinds (RFC 8058: the List-Unsubscribe header and a POST to the same link)."""
    kinds = sorted({notice.kind for notice in notices})
    unsubscribe = absolute_url(
        reverse("notices:unsubscribe", args=[unsubscribe_token(user, kinds)])
    )
    subject = notices[0].title if len(notices) == 1 else f"{len(notices)} new notices"
    body = render_to_string(
        "notices/email.txt",
        {
            "user": user,
            "notices": [
                (notice, absolute_url(notice.url) if notice.url else "") for notice in notices
            ],
            "unsubscribe_url": unsubscribe,
            "preferences_url": absolute_url(reverse("notices:preferences")),
            "kinds": [Kind(kind).label.lower() for kind in kinds],
        },
    )
    return EmailMessage(
        subject=f"Coach: {subject}",
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def notices_email_due(*, now: dt.datetime | None = None) -> list[int]:
    """The users with notices waiting for an email that may go now."""
    now = now or timezone.now()
    waiting = (
        Notice.objects.filter(emailed_at__isnull=True)
        .values("recipient_id")
        .annotate(since=Min("created_at"))
    )
    last = dict(
        NoticeSettings.objects.filter(
            user_id__in=[row["recipient_id"] for row in waiting],
            last_emailed_at__gt=now - EMAIL_BATCH_WINDOW,
        ).values_list("user_id", "last_emailed_at")
    )
    return sorted(
        row["recipient_id"]
        for row in waiting
        if next_email_at(last.get(row["recipient_id"]), now) <= now
    )


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def unsubscribe_token(user, kinds: list[str]) -> str:
    return signing.dumps({"user": user.pk, "kinds": kinds}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[object, list[str]]:
    """The user and kinds a link names; signing.BadSignature when it was tampered with."""
    payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    kinds = [kind for kind in payload.get("kinds", []) if kind in Kind.values]
    user = get_user_model().objects.filter(pk=payload.get("user")).first()
    if user is None:
        raise signing.BadSignature("no such user")
    return user, kinds


@transaction.atomic
def notice_kinds_turn_off(user, kinds: list[str]) -> NoticeSettings:
    """Turn `kinds` off (an unsubscribe link): twice is once."""
    choices = _notice_settings_locked(user)
    choices.kinds_off = sorted(set(choices.kinds_off) | set(kinds))
    choices.save(update_fields=["kinds_off"])
    return choices


@transaction.atomic
def notice_settings_update(
    *, user, kinds_on: list[str], quiet_from: dt.time | None, quiet_until: dt.time | None
) -> NoticeSettings:
    """Save the preferences page: the kinds on, and quiet hours (both or neither)."""
    choices = _notice_settings_locked(user)
    choices.kinds_off = sorted(set(Kind.values) - set(kinds_on))
    choices.quiet_from, choices.quiet_until = quiet_from, quiet_until
    choices.full_clean()
    choices.save(update_fields=["kinds_off", "quiet_from", "quiet_until"])
    return choices


def notices_mark_read(user, *, now: dt.datetime | None = None) -> int:
    """Everything listed for `user` is read once they have seen the list."""
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )
