"""Data the benchmarks share: made through the services, as a coach would make it."""

import datetime as dt
import uuid


def day_a_today(count):
    """A coach, `count` athletes and Day A scheduled for each of them today (week 1 of a
    six-week program of Day A). Returns the athletes and the program."""
    from athletes.models import Athlete, ScheduledSession
    from athletes.services.scheduling import assignment_create
    from coach.models import User
    from programs.services import library_load, program_create, template_copy
    from web.database import statistics_refresh

    coach = User.objects.create(username="bench-coach", role="coach")
    _, (library_day_a, _) = library_load()
    template = template_copy(template=library_day_a, owner=coach)
    program = program_create(coach=coach, name="Bench block", weeks=6, slots=[("Day A", template)])
    users = User.objects.bulk_create(
        User(username=f"bench-athlete-{n}", role="athlete") for n in range(count)
    )
    athletes = Athlete.objects.bulk_create(Athlete(user=user, coach=coach) for user in users)
    today = athletes[0].today()  # the athletes' day, in their zone
    assignment_create(
        program=program, athletes=athletes, start_date=today - dt.timedelta(days=today.weekday())
    )
    ScheduledSession.objects.filter(program_session__week=1).update(date=today)
    statistics_refresh()
    return athletes, program


def sets_to_log(session):
    """Every set of the session as the page would post it: set by set, left then right."""
    for prescription in session.program_session.prescriptions.all():
        sides = ("left", "right") if prescription.per_side else ("",)
        for number in range(1, prescription.sets + 1):
            for side in sides:
                yield {
                    "id": str(uuid.uuid4()),
                    "prescription": prescription.pk,
                    "set_number": number,
                    "side": side,
                    "reps": prescription.reps_max or prescription.reps_min or "",
                    "load": "60" if prescription.block == "main" and prescription.reps_min else "",
                    "hold_seconds": prescription.hold_seconds or "",
                    "rpe": "7",
                }
