"""Writes for who coaches whom: an athlete changes coach (removed from a roster, handed over,
or joining another coach's invitation), a coach offers an athlete to another coach, and an
athlete's training history goes with their account."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from athletes.models import Assignment, Athlete, Handover, ScheduledSession, SetLog
from athletes.services.scheduling import assignments_end_for_athlete


@transaction.atomic
def athlete_coach_change(*, athlete: Athlete, coach, now=None) -> Athlete:
    """`athlete` trains with `coach` from `now` on (`coach` None: with nobody, until they join
    another coach). The programs of the coach before stop from today: their planned sessions
    leave the calendar, what was done stays the athlete's. The new coach sees the training from
    `now` on (`coached_since`). An open hand-over lapses. Already with `coach`: nothing changes,
    so a retried request does it once. Nestable: a step of the writes below and of joining."""
    now = now or timezone.now()
    athlete = Athlete.objects.select_for_update().get(pk=athlete.pk)
    if coach is not None and not coach.is_coach:
        raise ValidationError("Only a coach can coach an athlete.")
    if athlete.coach_id == (coach and coach.pk):
        return athlete
    assignments_end_for_athlete(athlete, now)
    Handover.objects.filter(athlete=athlete).delete()
    athlete.coach = coach
    athlete.coached_since = now
    athlete.save(update_fields=["coach", "coached_since"])
    return athlete


@transaction.atomic(durable=True)
def athlete_remove_from_roster(*, athlete: Athlete, now=None) -> Athlete:
    """The coach lets `athlete` go: their account and history stay theirs, and they may join
    another coach through an invitation."""
    return athlete_coach_change(athlete=athlete, coach=None, now=now)


@transaction.atomic(durable=True)
def handover_offer(*, athlete: Athlete, to_coach, now=None) -> Handover:
    """Offer `athlete` (one of their coach's) to `to_coach`, who accepts or leaves it. One
    offer per athlete: a second one replaces the first, so a retried post stores one."""
    if to_coach is None or not to_coach.is_coach:
        raise ValidationError({"to_coach": "No coach has that username or email address."})
    if to_coach.pk == athlete.coach_id:
        raise ValidationError({"to_coach": "That is you: name the coach who takes them over."})
    handover, _ = Handover.objects.update_or_create(
        athlete=athlete,
        defaults={
            "from_coach_id": athlete.coach_id,
            "to_coach": to_coach,
            "created_at": now or timezone.now(),
        },
    )
    return handover


@transaction.atomic(durable=True)
def handover_accept(*, handover: Handover, now=None) -> Athlete:
    """The receiving coach takes the athlete over, from now on."""
    handover = Handover.objects.select_for_update().select_related("to_coach").get(pk=handover.pk)
    if handover.athlete.coach_id != handover.from_coach_id:  # moved on since the offer
        handover.delete()
        raise ValidationError("That athlete has moved on since the offer.")
    return athlete_coach_change(athlete=handover.athlete, coach=handover.to_coach, now=now)


@transaction.atomic
def athlete_delete(*, athlete: Athlete) -> None:
    """Delete the athlete's profile and every row of their training: sets, sessions, programs
    given to them, runs, tests, flags, hand-overs. Their coach's programs and templates stay.
    Nestable: a step of deleting the account."""
    sessions = ScheduledSession.objects.filter(athlete=athlete)
    SetLog.objects.filter(scheduled_session__in=sessions).delete()
    sessions.delete()  # their flags go with them
    Assignment.objects.filter(athlete=athlete).delete()
    athlete.delete()  # runs, tests, flags and hand-overs cascade
