"""`python manage.py load_demo`: the library, a demo coach, two athletes and a program to try.

Everything is relative to today's date, and idempotent: rows are found by their natural keys
(username, exercise name, template name, program name, event kind and start) and an existing row
is left exactly as it is, so a second run creates nothing and changes nothing. (A run in a
later week only adds the run events of the weeks that are new by then.)
"""

import datetime as dt
from collections import Counter

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from athletes.models import Assignment, Athlete, RunEvent
from athletes.rules.progress import week_start
from athletes.services.scheduling import assignment_create
from athletes.tasks import athlete_schedule_changed
from programs.models import Program, SessionTemplate
from programs.services import library_load, program_create, template_copy
from web.database import statistics_refresh

DEMO_TIME_ZONE = "Europe/London"
# Fixed on purpose: these accounts exist to be tried, and the README prints them too.
DEMO_PASSWORDS = {
    "coach": "coach-5k-demo",
    "athlete": "athlete-5k-demo",
    "athlete2": "athlete2-5k-demo",
    "admin": "admin-5k-demo",
}
DEMO_COACH = {"username": "coach", "first_name": "Casey", "last_name": "Morgan", "role": "coach"}
DEMO_ATHLETES = [
    {"username": "athlete", "first_name": "Alex", "last_name": "Reid", "role": "athlete"},
    {"username": "athlete2", "first_name": "Sam", "last_name": "Patel", "role": "athlete"},
]
DEMO_ADMIN = {"username": "admin", "is_staff": True, "is_superuser": True}

PROGRAM_NAME = "5K strength block"
PROGRAM_WEEKS = 6
RUNNING_WEEKS = 8
# (weekday, local time, kind, name, minutes, key session?) — one running week, Monday = 0.
RUNNING_WEEK = [
    (0, dt.time(7, 0), RunEvent.Kind.EASY, "Easy run", 30, False),
    (1, dt.time(18, 0), RunEvent.Kind.INTERVAL, "Intervals: 6 × 800 m", 60, True),
    (3, dt.time(7, 0), RunEvent.Kind.EASY, "Easy run", 40, False),
    (4, dt.time(7, 0), RunEvent.Kind.EASY, "Easy run", 30, False),
    (6, dt.time(9, 0), RunEvent.Kind.LONG, "Long run", 90, False),
]
RACE_NAME = "Riverside 5K"
RACE_TIME = dt.time(9, 0)
SATURDAY = 5


def race_day_for(block_start: dt.date) -> dt.date:
    """The Saturday of the block's last week: the block builds to the race and its last week
    is the taper before it."""
    return block_start + dt.timedelta(weeks=PROGRAM_WEEKS - 1, days=SATURDAY)


class Command(BaseCommand):
    help = (
        "Load the exercise library, Day A and Day B, and demo accounts with a program (idempotent)."
    )

    def handle(self, *args, **options):
        created = demo_load(today=timezone.localdate())
        statistics_refresh()  # the tables it filled, and their neighbours: cheap at this size
        if created:
            summary = ", ".join(f"{what} {count}" for what, count in created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {summary}."))
        else:
            self.stdout.write("Demo data already loaded: nothing changed.")
        logins = " ; ".join(f"{name} / {password}" for name, password in DEMO_PASSWORDS.items())
        self.stdout.write(f"Demo logins: {logins}")


@transaction.atomic
def demo_load(*, today: dt.date) -> Counter:
    """Create whatever of the demo is missing; return what was created, by kind."""
    created = Counter()
    _, library_templates = library_load(created)
    coach = _user(DEMO_COACH, created)
    _user(DEMO_ADMIN, created)
    athletes = []
    for fields in DEMO_ATHLETES:
        athlete = _athlete(_user(fields, created), coach, created)
        _running_weeks(athlete, today, created)
        athletes.append(athlete)
    program = _program(coach, library_templates, created)
    _assignment(program, athletes[0], week_start(today), created)
    return created


def _user(fields: dict, created: Counter):
    User = get_user_model()
    user = User.objects.filter(username=fields["username"]).first()
    if user is not None:
        return user
    user = User(email=f"{fields['username']}@example.com", **fields)
    user.set_password(DEMO_PASSWORDS[fields["username"]])
    user.full_clean()
    user.save()
    # A demo address is nobody's inbox: it counts as confirmed, so the coach can invite.
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    created["users"] += 1
    return user


def _athlete(user, coach, created: Counter) -> Athlete:
    athlete = Athlete.objects.filter(user=user).first()
    if athlete is not None:
        return athlete
    athlete = Athlete(user=user, coach=coach, time_zone=DEMO_TIME_ZONE)
    athlete.full_clean()
    athlete.save()
    created["athletes"] += 1
    return athlete


def _running_weeks(athlete: Athlete, today: dt.date, created: Counter) -> None:
    """The athlete's running week from this Monday for RUNNING_WEEKS weeks, and an A race at the
    end of the block."""
    tz = athlete.tz
    events = []
    monday = week_start(today)
    for week in range(RUNNING_WEEKS):
        for weekday, time_of_day, kind, name, minutes, is_key in RUNNING_WEEK:
            day = monday + dt.timedelta(weeks=week, days=weekday)
            events.append(
                RunEvent(
                    athlete=athlete,
                    kind=kind,
                    name=name,
                    starts_at=dt.datetime.combine(day, time_of_day, tzinfo=tz),
                    duration_minutes=minutes,
                    is_key=is_key,
                )
            )
    existing = set(
        athlete.run_events.exclude(kind=RunEvent.Kind.RACE).values_list("kind", "starts_at")
    )
    missing = [e for e in events if (e.kind, e.starts_at) not in existing]
    if not athlete.run_events.filter(kind=RunEvent.Kind.RACE, name=RACE_NAME).exists():
        missing.append(
            RunEvent(
                athlete=athlete,
                kind=RunEvent.Kind.RACE,
                name=RACE_NAME,
                starts_at=dt.datetime.combine(
                    race_day_for(week_start(today)), RACE_TIME, tzinfo=tz
                ),
                duration_minutes=25,
                distance_m=5000,
                priority=RunEvent.Priority.A,
            )
        )
    for event in missing:
        event.full_clean(validate_constraints=False)  # the database checks them
    RunEvent.objects.bulk_create(missing)
    if missing:
        created["run events"] += len(missing)
        athlete_schedule_changed(athlete.pk)


def _program(coach, library_templates: list[SessionTemplate], created: Counter) -> Program:
    program = Program.objects.filter(coach=coach, name__iexact=PROGRAM_NAME).first()
    if program is not None:
        return program
    slots = []
    for library_template in library_templates:
        own = SessionTemplate.objects.filter(
            owner=coach, name__iexact=library_template.name
        ).first()
        if own is None:
            own = template_copy(template=library_template, owner=coach)
            created["coach templates"] += 1
        slots.append((own.name.split(" — ")[0], own))
    created["programs"] += 1
    return program_create(
        coach=coach,
        name=PROGRAM_NAME,
        weeks=PROGRAM_WEEKS,
        slots=slots,
        description="Day A (strength & power) and Day B (endurance & stability) for six weeks.",
    )


def _assignment(program: Program, athlete: Athlete, start_date: dt.date, created: Counter) -> None:
    if Assignment.objects.filter(athlete=athlete, program=program).exists():
        return
    assignment_create(program=program, athletes=[athlete], start_date=start_date)
    created["assignments"] += 1
