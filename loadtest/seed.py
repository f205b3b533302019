"""Rows for the load scenario: coaches with athletes who each have a program to log.

Run inside the load database (loadtest/run.py sets DATABASE_URL). Writes the plan the locust
users follow to the JSON file given as the first argument.
"""

import datetime as dt
import json
import sys

import django

django.setup()

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from athletes.models import Athlete, ScheduledSession
from athletes.rules.strength import sides_for
from athletes.services.scheduling import assignment_create
from programs.library_data import DAY_A, DAY_B
from programs.models import ProgramPrescription, SessionTemplate
from programs.services import program_create, template_copy

PASSWORD = "load-test-passphrase-2026"
COACHES = 5
ATHLETES_PER_COACH = 10


@transaction.atomic
def seed():
    call_command("load_demo", verbosity=0)
    User = get_user_model()
    day_a = SessionTemplate.objects.get(owner=None, name=DAY_A["name"])
    day_b = SessionTemplate.objects.get(owner=None, name=DAY_B["name"])
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    plan = {"password": PASSWORD, "athletes": {}, "coaches": []}
    for c in range(1, COACHES + 1):
        coach = User.objects.create_user(f"load-coach-{c}", password=PASSWORD, role="coach")
        program = program_create(
            coach=coach,
            name="Load block",
            weeks=6,
            slots=[
                ("Day A", template_copy(template=day_a, owner=coach)),
                ("Day B", template_copy(template=day_b, owner=coach)),
            ],
        )
        athletes = []
        for a in range(1, ATHLETES_PER_COACH + 1):
            user = User.objects.create_user(
                f"load-athlete-{c}-{a}", password=PASSWORD, role="athlete"
            )
            athletes.append(Athlete.objects.create(user=user, coach=coach))
        assignment_create(program=program, athletes=athletes, start_date=monday)
        plan["coaches"].append(
            {"username": coach.username, "athlete_ids": [athlete.pk for athlete in athletes]}
        )
        for athlete in athletes:
            plan["athletes"][athlete.user.username] = athlete_sets(athlete)
    return plan


def athlete_sets(athlete):
    """Every set of every scheduled session, in order: what a diligent athlete would log."""
    sets = []
    sessions = ScheduledSession.objects.filter(athlete=athlete).order_by("starts_at")
    for session in sessions:
        prescriptions = ProgramPrescription.objects.filter(
            session_id=session.program_session_id
        ).select_related("exercise")
        for p in prescriptions:
            for number in range(1, p.sets + 1):
                for side in sides_for(p.as_spec()):
                    sets.append(
                        {
                            "session": session.pk,
                            "prescription": p.pk,
                            "set_number": number,
                            "side": side,
                            "reps": p.reps_max or p.reps_min,
                            "hold_seconds": p.hold_seconds,
                        }
                    )
    return sets


if __name__ == "__main__":
    with open(sys.argv[1], "w") as out:
        json.dump(seed(), out)
