import datetime as dt

import factory
from django.db.models import F
from django.utils import timezone

from athletes.models import Assignment, Athlete, RunEvent, ScheduledSession
from tests.coach.factories import AthleteUserFactory, CoachUserFactory
from tests.programs.factories import ProgramFactory, ProgramSessionFactory


class AthleteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Athlete

    user = factory.SubFactory(AthleteUserFactory)
    coach = factory.SubFactory(CoachUserFactory)
    time_zone = "Europe/London"
    default_session_time = dt.time(17, 30)  # a time, not the model default's "17:30" string


class RunEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RunEvent

    athlete = factory.SubFactory(AthleteFactory)
    kind = RunEvent.Kind.EASY
    name = factory.LazyAttribute(lambda e: RunEvent.Kind(e.kind).label)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    duration_minutes = 45


class RaceFactory(RunEventFactory):
    kind = RunEvent.Kind.RACE
    name = "Parkrun 5K"
    priority = RunEvent.Priority.A
    distance_m = 5000
    duration_minutes = 25


def athlete_with_a_conflict(days_before_race=1):
    """An athlete with a heavy session at 18:00 the evening before a 09:00 race (or earlier),
    five days from today: (athlete, session, race)."""
    athlete = AthleteFactory(user__password=None, coach__password=None, time_zone="Europe/London")
    race_day = timezone.localdate() + dt.timedelta(days=5)
    race = RaceFactory(
        athlete=athlete,
        priority="B",
        starts_at=dt.datetime.combine(race_day, dt.time(9), tzinfo=athlete.tz),
    )
    session = ScheduledSessionFactory(
        athlete=athlete,
        date=race_day - dt.timedelta(days=days_before_race),
        time_of_day=dt.time(18),
    )
    return athlete, session, race


# -- trained athletes: programs with logged history (progress, dashboard, benchmark) --

LIFTS = (  # (name, category, pattern, sets, reps, start load kg); the first two are Day A
    ("Back squat", "strength", "squat", 4, 5, 60),
    ("Romanian deadlift", "strength", "hinge", 3, 6, 50),
    ("Bulgarian split squat", "strength", "lunge", 3, 8, 16),
    ("Calf raise", "strength", "calf", 4, 12, 20),
)


def program_with_lifts(coach, *, weeks=8, name="Strength block"):
    """A `weeks`-week program for `coach`: Day A (squat, RDL) and Day B (split squat, calves)."""
    from programs.models import Exercise
    from programs.services import program_create
    from tests.programs.factories import PrescriptionFactory, SessionTemplateFactory

    templates = []
    for label, lifts in (("Day A", LIFTS[:2]), ("Day B", LIFTS[2:])):
        template = SessionTemplateFactory(owner=coach, name=f"{name} {label}")
        for lift_name, category, pattern, sets, reps, _ in lifts:
            exercise, _ = Exercise.objects.get_or_create(
                name=lift_name, defaults={"category": category, "pattern": pattern}
            )
            PrescriptionFactory(
                template=template, exercise=exercise, sets=sets, reps_min=reps, reps_max=reps
            )
        templates.append((label, template))
    return program_create(coach=coach, name=name, weeks=weeks, slots=templates)


def sessions_logged(sessions, *, session_rpe=7, minutes=32, load_step_kg=2.5):
    """Complete `sessions` (a ScheduledSession queryset) with every prescribed set logged, the
    load rising `load_step_kg` a week, as an athlete working through the program would."""
    from decimal import Decimal

    from athletes.models import ScheduledSession, SetLog

    start_loads = {name: load for name, *_, load in LIFTS}
    sessions = list(sessions.prefetch_related("program_session__prescriptions__exercise"))
    rows = []
    for session in sessions:
        week = session.program_session.week
        for p in session.program_session.prescriptions.all():
            load = Decimal(start_loads.get(p.exercise.name, 20)) + Decimal(
                str(load_step_kg * (week - 1))
            )
            rows += [
                SetLog(
                    scheduled_session=session,
                    prescription=p,
                    exercise=p.exercise,
                    set_number=number,
                    reps=p.reps_min,
                    load_kg=load,
                    load_entered=load,
                    load_unit="kg",
                    prescribed=f"{p.sets} × {p.reps_min}",
                )
                for number in range(1, p.sets + 1)
            ]
    SetLog.objects.bulk_create(rows, batch_size=2000)
    # Done when planned: each is completed `minutes` after it was planned to start.
    ScheduledSession.objects.filter(pk__in=[s.pk for s in sessions]).update(
        status=ScheduledSession.Status.COMPLETED,
        session_rpe=session_rpe,
        actual_minutes=minutes,
        completed_at=F("starts_at") + dt.timedelta(minutes=minutes),
    )


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    athlete = factory.SubFactory(AthleteFactory)
    program = factory.SubFactory(ProgramFactory, coach=factory.SelfAttribute("..athlete.coach"))
    start_date = dt.date(2026, 11, 2)


class ScheduledSessionFactory(factory.django.DjangoModelFactory):
    """A planned heavy session (its own assignment and program session unless given);
    `starts_at` follows date and time of day in the athlete's zone, as scheduling keeps it."""

    class Meta:
        model = ScheduledSession

    athlete = factory.SubFactory(AthleteFactory)
    assignment = factory.SubFactory(AssignmentFactory, athlete=factory.SelfAttribute("..athlete"))
    program_session = factory.SubFactory(
        ProgramSessionFactory, program=factory.SelfAttribute("..assignment.program")
    )
    name = factory.LazyAttribute(lambda s: s.program_session.name)
    intensity = factory.LazyAttribute(lambda s: s.program_session.intensity)
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=3))
    time_of_day = dt.time(18, 0)
    starts_at = factory.LazyAttribute(
        lambda s: dt.datetime.combine(
            s.date,
            s.time_of_day or dt.time.fromisoformat(str(s.athlete.default_session_time)),
            tzinfo=s.athlete.tz,
        )
    )
    duration_minutes = 60
