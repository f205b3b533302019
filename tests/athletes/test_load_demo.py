"""`load_demo`: the article's library and templates, demo accounts; a second run changes nothing."""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command

from athletes.management.commands import load_demo
from athletes.models import Assignment, Athlete, RunEvent, ScheduledSession
from programs.models import Exercise, Program, SessionTemplate

LONDON = zoneinfo.ZoneInfo("Europe/London")
A_WEDNESDAY = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)

ARTICLE_EXERCISES = [
    "Hip swings",
    "Skip drills",
    "Ankle flicks",
    "Dynamic mobility",
    "Single-leg balance drills",
    "Back squat",
    "Goblet squat",
    "Romanian deadlift",
    "Box jumps",
    "Squat jumps",
    "Side plank",
    "Split squat",
    "Bulgarian split squat",
    "Single-leg Romanian deadlift",
    "Calf raises",
    "Pallof press",
]

# (exercise, sets, reps or hold, per side, block), in order, as the article prescribes.
DAY_A = [
    ("Hip swings", 1, "10", True, "warmup"),
    ("Skip drills", 1, "30 s", False, "warmup"),
    ("Ankle flicks", 1, "30 s", False, "warmup"),
    ("Back squat", 4, "4–6", False, "main"),
    ("Romanian deadlift", 3, "6–8", False, "main"),
    ("Box jumps", 5, "3–5", False, "main"),
    ("Side plank", 3, "30 s", True, "core"),
]
DAY_B = [
    ("Dynamic mobility", 1, "300 s", False, "warmup"),
    ("Single-leg balance drills", 1, "30 s", True, "warmup"),
    ("Bulgarian split squat", 3, "8–12", True, "main"),
    ("Single-leg Romanian deadlift", 3, "8", True, "main"),
    ("Calf raises", 4, "12–15", False, "main"),
    ("Pallof press", 3, "10", True, "core"),
]


def run_load_demo():
    call_command("load_demo", stdout=io.StringIO())


def database_snapshot():
    """Every row of every model, as values: equal snapshots mean nothing was added or changed."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in {"coach", "athletes", "programs", "auth"}
    }


def dose(prescription):
    if prescription.hold_seconds:
        return f"{prescription.hold_seconds} s"
    if prescription.reps_max and prescription.reps_max != prescription.reps_min:
        return f"{prescription.reps_min}–{prescription.reps_max}"
    return str(prescription.reps_min)


def library_template(prefix):
    return SessionTemplate.objects.get(owner=None, name__startswith=prefix)


def set_for_set(template):
    return [
        (p.exercise.name, p.sets, dose(p), p.per_side, p.block)
        for p in template.prescriptions.select_related("exercise").order_by("position")
    ]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The demo's four accounts would otherwise cost a second of Argon2 each, in every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    with time_machine.travel(A_WEDNESDAY, tick=False):
        run_load_demo()


@pytest.mark.django_db
def test_a_second_run_adds_no_row_and_changes_no_value():
    with time_machine.travel(A_WEDNESDAY, tick=False):
        run_load_demo()
        first = database_snapshot()
        run_load_demo()
    assert database_snapshot() == first
    assert sum(len(rows) for rows in first.values()) > 100


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 11, 23, 0, 30, tzinfo=dt.UTC),  # a Monday, as the week starts
        dt.datetime(2027, 1, 31, 12, 0, tzinfo=dt.UTC),  # a Sunday, the week's last day
        dt.datetime(2028, 2, 29, 12, 0, tzinfo=dt.UTC),  # 29 February, a Tuesday
    ],
)
@pytest.mark.django_db
def test_the_a_race_falls_on_the_last_saturday_of_the_block_after_its_sessions(moment):
    with time_machine.travel(moment, tick=False):
        run_load_demo()
    assignment = Assignment.objects.get(athlete__user__username="athlete")
    race = RunEvent.objects.get(athlete=assignment.athlete, kind=RunEvent.Kind.RACE)
    race_day = race.starts_at.astimezone(LONDON).date()
    block_ends = assignment.start_date + dt.timedelta(weeks=assignment.program.weeks, days=-1)
    assert race_day.strftime("%A") == "Saturday"
    assert 0 < (block_ends - race_day).days < 7  # in the block's last week
    last_heavy = assignment.sessions.filter(intensity="heavy").order_by("-date").first()
    assert last_heavy.date < race_day


@pytest.mark.django_db
def test_a_run_the_next_day_adds_nothing():
    with time_machine.travel(A_WEDNESDAY, tick=False):
        run_load_demo()
    first = database_snapshot()
    with time_machine.travel(A_WEDNESDAY + dt.timedelta(days=1), tick=False):
        run_load_demo()
    assert database_snapshot() == first


@pytest.mark.django_db
def test_a_failure_half_way_leaves_nothing_behind(monkeypatch):
    def refuse(**kwargs):
        raise RuntimeError("assignment failed")

    monkeypatch.setattr(load_demo, "assignment_create", refuse)
    with pytest.raises(RuntimeError):
        run_load_demo()
    assert not Exercise.objects.exists()
    assert not Athlete.objects.exists()


def test_every_exercise_the_article_names_is_published_in_the_library(demo):
    library = Exercise.objects.filter(status=Exercise.Status.PUBLISHED)
    assert sorted(library.values_list("name", flat=True)) == sorted(ARTICLE_EXERCISES)


def test_unilateral_exercises_are_marked_unilateral(demo):
    unilateral = set(Exercise.objects.filter(is_unilateral=True).values_list("name", flat=True))
    assert {"Bulgarian split squat", "Split squat", "Single-leg Romanian deadlift"} <= unilateral
    assert "Back squat" not in unilateral


def test_day_a_matches_the_article_set_for_set(demo):
    day_a = library_template("Day A")
    assert set_for_set(day_a) == DAY_A
    assert day_a.target_minutes == 30
    squat = day_a.prescriptions.get(exercise__name="Back squat")
    assert (squat.load_kind, squat.load_text) == ("words", "moderate-heavy")
    assert "goblet squat" in squat.cue.lower()
    jumps = day_a.prescriptions.get(exercise__name="Box jumps")
    assert "ground contact" in jumps.cue.lower()
    assert "squat jumps" in jumps.cue.lower()


def test_day_b_matches_the_article_set_for_set(demo):
    day_b = library_template("Day B")
    assert set_for_set(day_b) == DAY_B
    assert day_b.target_minutes == 30
    split_squat = day_b.prescriptions.get(exercise__name="Bulgarian split squat")
    assert "split squat" in split_squat.cue.lower()


def test_the_library_templates_belong_to_nobody_and_the_coach_has_copies(demo):
    assert SessionTemplate.objects.filter(owner=None).count() == 2
    copies = SessionTemplate.objects.filter(owner__username="coach")
    assert sorted(c.copied_from.name for c in copies) == sorted(
        SessionTemplate.objects.filter(owner=None).values_list("name", flat=True)
    )


def test_the_demo_program_is_six_weeks_of_day_a_and_day_b_scheduled_for_athlete(demo):
    program = Program.objects.get(coach__username="coach", name="5K strength block")
    assert program.weeks == 6
    assert list(program.slots.values_list("label", flat=True)) == ["Day A", "Day B"]
    assert program.sessions.count() == 12
    assignment = Assignment.objects.get(program=program)
    assert assignment.athlete.user.username == "athlete"
    assert assignment.start_date == dt.date(2026, 11, 23)  # the Monday of the run's week
    assert ScheduledSession.objects.filter(assignment=assignment).count() == 12
    assert not Assignment.objects.filter(athlete__user__username="athlete2").exists()


@pytest.mark.parametrize("username", ["athlete", "athlete2"])
def test_each_demo_athlete_has_a_running_week_and_an_a_race_ending_the_block(demo, username):
    athlete = Athlete.objects.get(user__username=username)
    assert athlete.coach.username == "coach"
    assert athlete.time_zone == "Europe/London"
    events = athlete.run_events.all()
    intervals = [e for e in events if e.kind == RunEvent.Kind.INTERVAL]
    assert len(intervals) == 8
    for interval in intervals:
        local = interval.starts_at.astimezone(LONDON)
        assert (local.strftime("%A"), local.time()) == ("Tuesday", dt.time(18, 0))
        assert interval.is_key
    long_runs = [e for e in events if e.kind == RunEvent.Kind.LONG]
    assert {e.starts_at.astimezone(LONDON).strftime("%A") for e in long_runs} == {"Sunday"}
    assert any(e.kind == RunEvent.Kind.EASY for e in events)
    race = events.get(kind=RunEvent.Kind.RACE)
    local_start = race.starts_at.astimezone(LONDON)
    assert (local_start.strftime("%A"), local_start.time()) == ("Saturday", dt.time(9, 0))
    # The Saturday of the block's sixth and last week (the block starts on Monday 23 November).
    assert local_start.date() == dt.date(2027, 1, 2)
    assert (race.priority, race.distance_m) == ("A", 5000)


def test_the_printed_demo_logins_let_each_demo_user_in(db, client, capsys):
    call_command("load_demo")
    output = capsys.readouterr().out
    for username, password in load_demo.DEMO_PASSWORDS.items():
        assert f"{username} / {password}" in output
        assert client.login(username=username, password=password)
        client.logout()
    assert "Demo logins: coach /" in output


def test_the_demo_admin_is_a_superuser_and_the_demo_roles_are_set(demo):
    User = apps.get_model("coach", "User")
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert User.objects.get(username="coach").is_coach
    assert User.objects.get(username="athlete").is_athlete
