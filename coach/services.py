"""Writes for accounts: a coach invites, an athlete accepts and gets an account."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from athletes.models import Athlete
from coach.models import Invitation, User


class InvitationUnavailable(Exception):
    """The join link was already used or has expired."""


@transaction.atomic(durable=True)
def invitation_create(*, coach, email="", note=""):
    """A new single-use, expiring join link from `coach`."""
    if not coach.is_coach:
        raise ValidationError("Only coaches can invite athletes.")
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
    gets an account; the other sees a used link. Raises Invitation.DoesNotExist for an
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
    except IntegrityError as error:  # a username taken by a concurrent sign-up on another link
        raise ValidationError(
            {"username": "That username is taken. Please choose another."}
        ) from error
    invitation.used_at = now
    invitation.used_by = user
    invitation.full_clean()
    invitation.save(update_fields=["used_at", "used_by"])
    return user
