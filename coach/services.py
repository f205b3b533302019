"""Writes for accounts: a coach invites, an athlete accepts and gets an account; account mail
is handed to a worker."""

from allauth.account.models import EmailAddress
from allauth.account.utils import has_verified_email
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone

from athletes.models import Athlete
from coach.models import Invitation, User
from outbox.services import outbox_enqueue

ACCOUNT_EMAIL_TASK = "coach.tasks.account_email_send"


class InvitationUnavailable(Exception):
    """The join link was already used or has expired."""


@transaction.atomic(durable=True)
def invitation_create(*, coach, email="", note=""):
    """A new single-use, expiring join link from `coach`, who has confirmed their address."""
    if not coach.is_coach:
        raise ValidationError("Only coaches can invite athletes.")
    if not has_verified_email(coach):
        raise ValidationError("Confirm your email address before you invite athletes.")
    invitation = Invitation(coach=coach, email=email, note=note)
    invitation.full_clean()
    invitation.save()
    return invitation


@transaction.atomic(durable=True)
def invitation_accept(
    *, token, username, password, first_name="", last_name="", email="", time_zone, unit, now=None
):
    """Create the athlete's account and profile under the inviting coach, and spend the link.

    The invitation row is locked first, so of two sign-ups racing on one link exactly one
    gets an account; the other sees a used link. The address is recorded unverified (the view
    sends its link). Raises Invitation.DoesNotExist for an
    unknown token, InvitationUnavailable for a used or expired one, ValidationError for bad
    account details (nothing is saved then).
    """
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().get(token=token)
    if not invitation.is_open(now):
        raise InvitationUnavailable
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=User.Role.ATHLETE,
    )
    user.set_password(password)
    user.full_clean()
    try:
        user.save()
        athlete = Athlete(user=user, coach=invitation.coach, time_zone=time_zone, unit=unit)
        athlete.full_clean()
        athlete.save()
        # allauth's record of the address: where reset links go, to be verified by its link.
        EmailAddress.objects.create(user=user, email=user.email.lower(), primary=True)
    except IntegrityError as error:  # a username taken by a concurrent sign-up on another link
        raise ValidationError(
            {"username": "That username is taken. Please choose another."}
        ) from error
    invitation.used_at = now
    invitation.used_by = user
    invitation.full_clean()
    invitation.save(update_fields=["used_at", "used_by"])
    return user


def account_email_enqueue(message: EmailMessage) -> None:
    """Send an account email (a verification link, a reset link, a notice) from a worker once
    the current transaction commits; see account_email_from_json for the way back."""
    outbox_enqueue(ACCOUNT_EMAIL_TASK, [account_email_as_json(message)])


def account_email_as_json(message: EmailMessage) -> dict:
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def account_email_from_json(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message
