"""Reads for accounts and invitations, scoped by owner."""

from django.shortcuts import get_object_or_404

from coach.models import Invitation


def invitations_for_coach(coach):
    """The coach's invitations, newest first, with whoever used each one."""
    return Invitation.objects.filter(coach=coach).select_related("used_by")


def invitation_get_by_token(token):
    """The invitation behind a join link; an unknown token is a 404."""
    return get_object_or_404(Invitation.objects.select_related("coach"), token=token)
