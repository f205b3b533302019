"""Writes for accounts: a coach invites, an athlete accepts and gets an account (or, with an
account already, moves to the new coach); an account is deleted; account mail is handed to a
worker."""

from allauth.account.models import EmailAddress
from allauth.account.utils import has_verified_email
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone

from athletes.models import Athlete
from athletes.services.roster import athlete_coach_change, athlete_delete
from coach.models import Invitation, User
from outbox.services import outbox_enqueue
from programs.services import coach_library_delete

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


@transaction.atomic(durable=True)
def invitation_accept_signed_in(*, token, user, now=None) -> Athlete:
    """An athlete who has an account follows another coach's invitation: they move to that
    coach from now on (athlete_coach_change: the old coach's programs stop from today, the new
    coach sees the training from the move on) and the link is spent. Following a link this
    athlete already used changes nothing, so a retried post moves them once. Raises
    InvitationUnavailable for a link used by someone else or expired, ValidationError for an
    account that is not an athlete's."""
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().select_related("coach").get(token=token)
    athlete = Athlete.objects.filter(user=user).first()
    if invitation.used_by_id == user.pk and athlete is not None:
        return athlete
    if not invitation.is_open(now):
        raise InvitationUnavailable
    if athlete is None:
        raise ValidationError(
            "This invitation is for an athlete: a coach's account cannot join a coach."
        )
    athlete = athlete_coach_change(athlete=athlete, coach=invitation.coach, now=now)
    invitation.used_at = now
    invitation.used_by = user
    invitation.save(update_fields=["used_at", "used_by"])
    return athlete


WRONG_PASSWORD = "That is not your password."  # nosec B105: a message, not a password


class StillCoaching(ValidationError):
    """A coach with athletes on the roster cannot delete their account."""


@transaction.atomic(durable=True)
def account_delete(*, user, password) -> None:
    """Delete `user`'s account, all of it or nothing, once they gave their password again.

    An athlete's profile and training history go with it (athlete_delete); their coach's
    programs stay. A coach must first hand over or remove every athlete (StillCoaching); their
    programs and templates go, except those an athlete trained on (coach_library_delete): then
    the account is closed instead, its name, address, password and second factor wiped, so the
    athlete's history still reads whole. Either way every session of the account ends."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(password):
        raise ValidationError({"password": WRONG_PASSWORD})
    coached = Athlete.objects.filter(coach=user).count()
    if coached:
        raise StillCoaching(
            f"You coach {coached} athlete{'s' if coached > 1 else ''}: hand each one over to "
            "another coach or remove them from your roster first."
        )
    athlete = Athlete.objects.filter(user=user).first()
    if athlete is not None:
        athlete_delete(athlete=athlete)
    if coach_library_delete(coach=user):
        _account_close(user)
    else:
        user.delete()  # addresses, authenticators, invitations and hand-overs go with it


def _account_close(user) -> None:
    user.authenticator_set.all().delete()
    user.invitations.all().delete()
    user.handovers_received.all().delete()
    EmailAddress.objects.filter(user=user).delete()
    user.username = f"former-coach-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.session_epoch += 1
    user.save()


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
