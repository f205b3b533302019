"""Assignment with placement, moving sessions, and run events (services and pages)."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from athletes.models import Assignment, RunEvent, ScheduledSession
from athletes.rules.placement import hours_between
from athletes.selectors.progress import blocks_for_athlete
from athletes.services import flagging
from athletes.services.run_events import run_event_create, run_events_create_weekly
from athletes.services.scheduling import assignment_create, assignment_end, session_move
from coach.celery import app as celery_app
from coach.dashboard import roster_page
from tests.athletes.factories import (
    AthleteFactory,
    RaceFactory,
    ScheduledSessionFactory,
    program_with_lifts,
    sessions_logged,
)
from tests.coach.factories import CoachUserFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

START = dt.date(2026, 11, 2)  # a Monday
RACE_DAY = dt.date(2026, 11, 28)  # Saturday of week 4


def tuesday_intervals(athlete, weeks=6):
    return run_events_create_weekly(
        athlete=athlete,
        weekday=1,
        time_of_day=dt.time(18, 0),
        first_date=START,
        weeks=weeks,
        kind=RunEvent.Kind.INTERVAL,
        name="Intervals",
        duration_minutes=60,
        is_key=True,
    )


def saturday_race(athlete):
    return RaceFactory(
        athlete=athlete, starts_at=dt.datetime.combine(RACE_DAY, dt.time(9), tzinfo=athlete.tz)
    )


def heavy_hours_before_key_runs(athlete):
    """Hours from each heavy session's end to the next race or key session after it."""
    keys = [e for e in athlete.run_events.all() if e.counts_for_freshness]
    gaps = []
    for session in athlete.scheduled_sessions.filter(intensity="heavy"):
        end = session.starts_at + dt.timedelta(minutes=session.duration_minutes)
        later = [e.starts_at for e in keys if e.starts_at > session.starts_at]
        if later:
            gaps.append(hours_between(end, min(later), athlete.tz))
    return gaps


# -- assignment -----------------------------------------------------------------------------


def test_six_week_program_keeps_heavy_sessions_36_hours_before_tuesday_intervals_and_race(
    coach_user, athlete
):
    tuesday_intervals(athlete)
    saturday_race(athlete)
    program = program_with_lifts(coach_user, weeks=6)

    (assignment,) = assignment_create(program=program, athletes=[athlete], start_date=START)

    sessions = list(assignment.sessions.order_by("starts_at"))
    assert len(sessions) == 12
    assert sum(s.is_heavy for s in sessions) >= 4  # a deload week may lighten one
    assert min(heavy_hours_before_key_runs(athlete)) >= 36
    assert all(s.placement_reason for s in sessions)
    for session in sessions:
        local = session.starts_at.astimezone(athlete.tz)
        assert (local.date(), local.time()) == (session.date, session.time_of_day)
    by_week = {}
    for session in sessions:
        by_week.setdefault((session.date - START).days // 7, []).append(session.starts_at)
    assert all(abs(a - b) >= dt.timedelta(hours=48) for a, b in by_week.values())


def test_assigning_to_two_athletes_places_each_around_their_own_week(coach_user):
    tuesday_runner = AthleteFactory(coach=coach_user)
    thursday_runner = AthleteFactory(coach=coach_user)
    tuesday_intervals(tuesday_runner, weeks=1)
    run_events_create_weekly(
        athlete=thursday_runner,
        weekday=3,
        time_of_day=dt.time(18),
        first_date=START,
        weeks=1,
        kind=RunEvent.Kind.INTERVAL,
        duration_minutes=60,
        is_key=True,
    )
    program = program_with_lifts(coach_user, weeks=6)

    first, second = assignment_create(
        program=program, athletes=[tuesday_runner, thursday_runner], start_date=START
    )

    week_one = {
        a.athlete_id: a.sessions.get(program_session__week=1, intensity="heavy").date.weekday()
        for a in (first, second)
    }
    assert week_one[tuesday_runner.pk] == 2  # Wednesday, after Tuesday's intervals
    assert week_one[thursday_runner.pk] == 0  # Monday: 72 h before Thursday, soonest in the week


def test_assignment_rechecks_flags_once_per_athlete(coach_user):
    athletes = [AthleteFactory(coach=coach_user) for _ in range(2)]
    program = program_with_lifts(coach_user, weeks=6)
    with mock.patch("athletes.services.scheduling.athlete_schedule_changed") as changed:
        assignment_create(program=program, athletes=athletes, start_date=START)
    assert sorted(c.args[0] for c in changed.call_args_list) == sorted(a.pk for a in athletes)


def test_programs_start_on_a_monday(coach_user, athlete):
    program = program_with_lifts(coach_user, weeks=6)
    with pytest.raises(ValidationError) as error:
        assignment_create(
            program=program, athletes=[athlete], start_date=START + dt.timedelta(days=1)
        )
    assert "start_date" in error.value.message_dict
    assert not Assignment.objects.exists()


def test_assign_page_assigns_two_athletes_and_shows_the_reasons(client, coach_user):
    athletes = [AthleteFactory(coach=coach_user) for _ in range(2)]
    program = program_with_lifts(coach_user, weeks=6)
    client.force_login(coach_user)

    response = client.post(
        reverse("athletes:assignment-create"),
        {"program": program.pk, "athletes": [a.pk for a in athletes], "start_date": "2026-11-02"},
        follow=True,
    )

    assert response.status_code == 200
    assert Assignment.objects.count() == 2
    page = response.content.decode()
    assert "Where the sessions went" in page
    assert "Why this day" in page
    assert all(str(a) in page for a in athletes)
    # The test lifts mark no exercise unilateral: the program linter says so on assignment.
    assert "No unilateral strength exercise this week." in page


def test_assign_form_shows_how_far_each_athletes_planned_sessions_reach(client, coach_user):
    busy, free = AthleteFactory(coach=coach_user), AthleteFactory(coach=coach_user)
    assignment_create(
        program=program_with_lifts(coach_user, weeks=6), athletes=[busy], start_date=START
    )
    last = busy.scheduled_sessions.order_by("date").last().date
    client.force_login(coach_user)

    with time_machine.travel(dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)):
        page = client.get(reverse("athletes:assignment-create")).content.decode()

    assert f"{busy} (sessions planned until {last:%a %-d %b %Y})" in page
    assert f"{free} (sessions planned" not in page


def test_assigning_the_same_program_twice_from_one_monday_is_a_message(client, coach_user):
    athlete = AthleteFactory(coach=coach_user)
    program = program_with_lifts(coach_user, weeks=6)
    assignment_create(program=program, athletes=[athlete], start_date=START)
    client.force_login(coach_user)

    response = client.post(
        reverse("athletes:assignment-create"),
        {
            "program": program.pk,
            "athletes": [athlete.pk],
            "start_date": "2026-11-02",
            "replace_planned": "on",
        },
    )

    assert response.status_code == 422
    assert "already has this program" in response.content.decode()
    assert Assignment.objects.get().ended_at is None
    assert athlete.scheduled_sessions.count() == 12


def test_a_second_program_on_top_of_planned_sessions_is_refused_next_to_the_replace_box(
    client, coach_user
):
    athlete = AthleteFactory(coach=coach_user, user__first_name="Alex", user__last_name="Reid")
    assignment_create(
        program=program_with_lifts(coach_user, weeks=6), athletes=[athlete], start_date=START
    )
    last = athlete.scheduled_sessions.order_by("date").last().date
    client.force_login(coach_user)

    response = client.post(
        reverse("athletes:assignment-create"),
        {
            "program": program_with_lifts(coach_user, weeks=6, name="Spring block").pk,
            "athletes": [athlete.pk],
            "start_date": "2026-11-23",
        },
    )

    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors["replace_planned"] == [
        f"Already planned from Mon 23 Nov: Alex Reid (until {last:%a %-d %b %Y}). Tick this to "
        "replace those sessions, or start the new program after them."
    ]
    assert Assignment.objects.count() == 1 and athlete.scheduled_sessions.count() == 12


def test_replacing_ends_the_current_program_from_the_start_and_keeps_what_was_logged(coach_user):
    athlete = AthleteFactory(coach=coach_user)
    (old,) = assignment_create(
        program=program_with_lifts(coach_user, weeks=6), athletes=[athlete], start_date=START
    )
    sessions_logged(old.sessions.filter(date__lt=dt.date(2026, 11, 16)))
    begun = old.sessions.filter(date__gte=dt.date(2026, 11, 16)).order_by("date").first()
    sessions_logged(ScheduledSession.objects.filter(pk=begun.pk))
    ScheduledSession.objects.filter(pk=begun.pk).update(status=ScheduledSession.Status.PLANNED)

    (new,) = assignment_create(
        program=program_with_lifts(coach_user, weeks=6, name="Spring block"),
        athletes=[athlete],
        start_date=dt.date(2026, 11, 16),
        replace_planned=True,
    )

    old.refresh_from_db()
    assert old.ended_at is not None
    # Weeks 1-2 done, and the week-3 session with sets in it: nothing logged is lost.
    assert sorted(old.sessions.values_list("pk", flat=True)) == sorted(
        [
            *old.sessions.filter(date__lt=dt.date(2026, 11, 16)).values_list("pk", flat=True),
            begun.pk,
        ]
    )
    assert old.sessions.count() == 5
    assert new.sessions.count() == 12


def test_a_session_under_way_does_not_stand_in_the_way_of_the_next_program(coach_user):
    athlete = AthleteFactory(coach=coach_user)
    (old,) = assignment_create(
        program=program_with_lifts(coach_user, weeks=6), athletes=[athlete], start_date=START
    )
    begun = old.sessions.filter(date__gte=dt.date(2026, 11, 16)).order_by("date").first()
    sessions_logged(ScheduledSession.objects.filter(pk=begun.pk))
    ScheduledSession.objects.filter(pk=begun.pk).update(status=ScheduledSession.Status.PLANNED)
    assignment_end(assignment=old, from_date=dt.date(2026, 11, 16))

    (new,) = assignment_create(
        program=program_with_lifts(coach_user, weeks=6, name="Spring block"),
        athletes=[athlete],
        start_date=dt.date(2026, 11, 16),
    )

    assert new.sessions.count() == 12
    assert ScheduledSession.objects.filter(pk=begun.pk, status="planned").exists()


def test_coach_ends_a_program_from_the_athletes_page(client, coach_user, athlete):
    (assignment,) = assignment_create(
        program=program_with_lifts(coach_user, weeks=6), athletes=[athlete], start_date=START
    )
    today = dt.date(2026, 11, 18)
    before = athlete.scheduled_sessions.filter(date__lt=today).count()
    ahead = athlete.scheduled_sessions.filter(date__gte=today).order_by("date")
    left, last = ahead.count(), ahead.last().date
    client.force_login(coach_user)

    with time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC)):
        page = client.get(reverse("athletes:athlete-detail", args=[athlete.pk])).content.decode()
        response = client.post(reverse("athletes:assignment-end", args=[assignment.pk]))
        ended = client.get(response.url).content.decode()

    assert f"{left} sessions planned, until {last:%a %-d %b %Y}" in page
    assert response.status_code == 302
    assert athlete.scheduled_sessions.count() == before
    assert not athlete.scheduled_sessions.filter(date__gte=today).exists()
    assert f"Strength block ended for {athlete}: {left} planned sessions removed" in ended
    assert "No program running." in ended


def test_a_program_ended_before_it_starts_can_be_assigned_from_that_monday_again(
    client, coach_user, athlete
):
    program = program_with_lifts(coach_user, weeks=6)
    (assignment,) = assignment_create(
        program=program, athletes=[athlete], start_date=dt.date(2026, 12, 7)
    )
    client.force_login(coach_user)

    with time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)):
        client.post(reverse("athletes:assignment-end", args=[assignment.pk]))
        response = client.post(
            reverse("athletes:assignment-create"),
            {"program": program.pk, "athletes": [athlete.pk], "start_date": "2026-12-07"},
        )

    assert response.status_code == 302
    again = Assignment.objects.get(ended_at__isnull=True)
    assert again.pk != assignment.pk and again.sessions.count() == 12
    # The one ended before it began never ran: the progress charts show one block, not two.
    assert [(b.start, b.end) for b in blocks_for_athlete(athlete)] == [
        (dt.date(2026, 12, 7), dt.date(2027, 1, 17))
    ]


def test_a_program_replaced_from_a_later_monday_is_current_until_then(client, coach_user, athlete):
    (old,) = assignment_create(
        program=program_with_lifts(coach_user, weeks=8), athletes=[athlete], start_date=START
    )
    client.force_login(coach_user)
    wednesday = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)

    with time_machine.travel(wednesday):
        assignment_create(
            program=program_with_lifts(coach_user, weeks=6, name="Spring block"),
            athletes=[athlete],
            start_date=dt.date(2026, 12, 7),
            replace_planned=True,
        )
        page = client.get(reverse("athletes:athlete-detail", args=[athlete.pk])).content.decode()
        (row,) = roster_page(coach_user, now=wednesday)[0].object_list
    with time_machine.travel(dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC)):
        later = client.get(reverse("athletes:athlete-detail", args=[athlete.pk])).content.decode()
        (later_row,) = roster_page(coach_user)[0].object_list

    # Its sessions until Sunday 6 Dec stay planned, and the dashboard and page still show it.
    assert old.sessions.filter(date__gte=dt.date(2026, 11, 25)).count() == 3
    assert (row.assignment, row.program_week) == (old, 4)
    assert "Strength block</span>, from Mon 2 Nov 2026" in page
    assert "End Strength block" in page
    assert later_row.assignment.program.name == "Spring block"
    assert "End Strength block" not in later
    # On the progress charts the old block stops the Sunday before the new one.
    assert [(b.label, b.start, b.end) for b in blocks_for_athlete(athlete)] == [
        ("Strength block", START, dt.date(2026, 12, 6)),
        ("Spring block", dt.date(2026, 12, 7), dt.date(2027, 1, 17)),
    ]


def test_coach_cannot_assign_another_coachs_program_or_athlete(client, coach_user):
    other_coach = CoachUserFactory()
    others_program = program_with_lifts(other_coach, weeks=6, name="Theirs")
    others_athlete = AthleteFactory(coach=other_coach)
    own_program = program_with_lifts(coach_user, weeks=6)
    client.force_login(coach_user)

    for program, athlete in ((others_program, AthleteFactory(coach=coach_user)),) + (
        (own_program, others_athlete),
    ):
        response = client.post(
            reverse("athletes:assignment-create"),
            {"program": program.pk, "athletes": [athlete.pk], "start_date": "2026-11-02"},
        )
        assert response.status_code == 404
    assert not Assignment.objects.exists()


def test_placements_page_shows_only_the_coachs_own_assignments(client, coach_user):
    other_coach = CoachUserFactory()
    theirs = assignment_create(
        program=program_with_lifts(other_coach, weeks=6),
        athletes=[AthleteFactory(coach=other_coach)],
        start_date=START,
    )[0]
    client.force_login(coach_user)
    response = client.get(reverse("athletes:assignment-placements"), {"id": theirs.pk})
    assert str(theirs.athlete) not in response.content.decode()


# -- moving sessions ------------------------------------------------------------------------


def planned_session(athlete, date=dt.date(2026, 11, 4)):
    return ScheduledSessionFactory(athlete=athlete, date=date, time_of_day=dt.time(18))


def test_coach_moves_a_session_to_any_date_and_its_instant_follows(client, coach_user, athlete):
    session = planned_session(athlete)
    client.force_login(coach_user)
    with mock.patch("athletes.services.scheduling.athlete_schedule_changed") as changed:
        response = client.post(
            reverse("athletes:session-move", args=[session.pk]),
            {"date": "2026-11-20", "time_of_day": "07:15"},
        )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.date == dt.date(2026, 11, 20)
    assert session.starts_at == dt.datetime(2026, 11, 20, 7, 15, tzinfo=athlete.tz)
    assert session.placement_reason == "Moved by the coach"
    changed.assert_called_once_with(athlete.pk)


# The flags are re-checked once the change commits, before the redirect: committed here.
@pytest.mark.django_db(transaction=True)
def test_the_calendar_a_move_lands_on_already_shows_the_sessions_new_flag(client, athlete):
    race_day = timezone.localdate() + dt.timedelta(days=6)
    RaceFactory(
        athlete=athlete,
        priority="B",
        starts_at=dt.datetime.combine(race_day, dt.time(9), tzinfo=athlete.tz),
    )
    session = planned_session(athlete, date=race_day - dt.timedelta(days=4))
    client.force_login(athlete.coach)
    response = client.post(
        reverse("athletes:session-move", args=[session.pk]),
        {"date": race_day - dt.timedelta(days=1), "time_of_day": "18:00"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Conflict" in response.content.decode()
    assert session.flags.get().severity == "conflict"


@pytest.mark.django_db(transaction=True)
def test_a_move_whose_flag_check_fails_after_the_commit_still_lands_on_the_calendar(
    client, athlete, monkeypatch, caplog
):
    session = planned_session(athlete, date=timezone.localdate() + dt.timedelta(days=3))

    def check_fails(athlete_id):
        raise OperationalError("the database went away a moment after the commit")

    monkeypatch.setattr(flagging, "flags_refresh_for_athlete", check_fails)
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)  # the worker's recheck waits
    client.force_login(athlete.coach)
    new_date = session.date + dt.timedelta(days=1)

    response = client.post(
        reverse("athletes:session-move", args=[session.pk]), {"date": new_date}, follow=True
    )

    assert response.status_code == 200
    assert f"moved to {new_date:%a %-d %b}" in response.content.decode()
    session.refresh_from_db()
    assert session.date == new_date
    assert "the database went away" in caplog.text  # logged, for whoever keeps the server


# Ten days before the race: the month calendar opened today shows the race and its eve (a
# week from the end of a month they would be on the next month's page).
@pytest.mark.django_db(transaction=True)  # the flags are re-checked once the deletion commits
@time_machine.travel(dt.datetime.combine(RACE_DAY - dt.timedelta(days=10), dt.time(12), dt.UTC))
def test_the_calendar_a_race_deletion_lands_on_no_longer_shows_its_conflict(client, athlete):
    race = RaceFactory(
        athlete=athlete,
        priority="B",
        starts_at=dt.datetime.combine(RACE_DAY, dt.time(9), tzinfo=athlete.tz),
    )
    planned_session(athlete, date=RACE_DAY - dt.timedelta(days=1))
    flagging.flags_refresh_for_athlete(athlete.pk)
    client.force_login(athlete.coach)
    assert "Conflict" in client.get(reverse("athletes:athlete-calendar", args=[athlete.pk])).text

    response = client.post(reverse("athletes:run-event-delete", args=[race.pk]), follow=True)

    assert response.status_code == 200
    assert "Conflict" not in response.content.decode()


def test_athlete_moves_own_session_within_its_week(client, athlete):
    session = planned_session(athlete)  # Wednesday 4 Nov
    client.force_login(athlete.user)
    response = client.post(
        reverse("athletes:session-move", args=[session.pk]), {"date": "2026-11-08"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.date == dt.date(2026, 11, 8)
    assert session.time_of_day == dt.time(18)


def test_athlete_cannot_move_a_session_out_of_its_week(client, athlete):
    session = planned_session(athlete)
    client.force_login(athlete.user)
    response = client.post(
        reverse("athletes:session-move", args=[session.pk]), {"date": "2026-11-09"}
    )
    assert response.status_code == 422
    assert "Move it within its week" in response.content.decode()
    session.refresh_from_db()
    assert session.date == dt.date(2026, 11, 4)


def test_dragging_answers_json_with_the_reason_a_move_was_refused(client, athlete):
    session = planned_session(athlete)
    client.force_login(athlete.user)
    url = reverse("athletes:session-move", args=[session.pk])
    refused = client.post(url, {"date": "2026-11-12"}, headers={"Accept": "application/json"})
    moved = client.post(url, {"date": "2026-11-06"}, headers={"Accept": "application/json"})
    assert refused.status_code == 422 and "within its week" in refused.json()["error"]
    assert moved.status_code == 200 and moved.json() == {"date": "2026-11-06"}


def test_nobody_moves_someone_elses_session(client, athlete):
    session = planned_session(athlete)
    for user in (AthleteFactory().user, CoachUserFactory()):
        client.force_login(user)
        response = client.post(
            reverse("athletes:session-move", args=[session.pk]), {"date": "2026-11-05"}
        )
        assert response.status_code == 404
    session.refresh_from_db()
    assert session.date == dt.date(2026, 11, 4)


def test_a_completed_session_stays_where_it_was_done(athlete):
    session = planned_session(athlete)
    session.status = ScheduledSession.Status.COMPLETED
    session.save()
    with pytest.raises(ValidationError):
        session_move(session=session, date=dt.date(2026, 11, 5), time_of_day=None, by_coach=True)


def test_a_bad_date_is_a_message_next_to_the_field(client, athlete):
    session = planned_session(athlete)
    client.force_login(athlete.user)
    response = client.post(
        reverse("athletes:session-move", args=[session.pk]), {"date": "not a date"}
    )
    assert response.status_code == 422
    assert "Enter a valid date" in response.content.decode()


# -- run events -----------------------------------------------------------------------------


def race_form(**changes):
    return {
        "kind": "race",
        "name": "Riverside 5K",
        "date": "2026-11-28",
        "start_time": "09:00",
        "duration_minutes": 25,
        "distance_km": "5",
        "priority": "A",
        **changes,
    }


def test_athlete_adds_a_race_in_their_own_time_zone(client):
    athlete = AthleteFactory(time_zone="America/New_York")
    client.force_login(athlete.user)
    with mock.patch("athletes.services.run_events.athlete_schedule_changed") as changed:
        response = client.post(reverse("athletes:run-event-create"), race_form())
    assert response.status_code == 302
    race = athlete.run_events.get()
    assert race.starts_at == dt.datetime(2026, 11, 28, 14, 0, tzinfo=dt.UTC)
    assert (race.distance_m, race.priority) == (5000, "A")
    changed.assert_called_once_with(athlete.pk)


def test_a_race_needs_a_priority(client, athlete):
    client.force_login(athlete.user)
    response = client.post(reverse("athletes:run-event-create"), race_form(priority=""))
    assert response.status_code == 422
    assert "Give the race a priority" in response.content.decode()
    assert not RunEvent.objects.exists()


def test_an_easy_run_cannot_be_marked_key(client, athlete):
    client.force_login(athlete.user)
    easy_key_run = race_form(kind="easy", name="Easy run", priority="", is_key="on")
    response = client.post(reverse("athletes:run-event-create"), easy_key_run)
    assert response.status_code == 422
    assert "An easy run can&#x27;t be a key session" in response.content.decode()
    assert not RunEvent.objects.exists()


def test_the_service_refuses_a_key_easy_run_with_the_reason_on_the_key_field(athlete):
    with pytest.raises(ValidationError) as refused:
        run_event_create(athlete=athlete, kind="easy", starts_at=timezone.now(), is_key=True)
    assert list(refused.value.message_dict) == ["is_key"]
    assert not RunEvent.objects.exists()


def test_weekly_pattern_starts_as_an_easy_run_not_a_race(client, athlete):
    client.force_login(athlete.user)
    page = client.get(reverse("athletes:run-event-weekly")).content.decode()
    assert '<option value="easy" selected>' in page


def test_weekly_pattern_creates_a_seasons_runs_at_once(client, coach_user, athlete):
    client.force_login(coach_user)
    response = client.post(
        reverse("athletes:athlete-run-event-weekly", args=[athlete.pk]),
        {
            "kind": "interval",
            "name": "Track",
            "weekday": "1",
            "start_time": "18:00",
            "first_date": "2026-11-04",
            "weeks": "8",
            "duration_minutes": "60",
            "is_key": "on",
        },
    )
    assert response.status_code == 302
    runs = list(athlete.run_events.all())
    assert len(runs) == 8
    assert runs[0].starts_at == dt.datetime(2026, 11, 10, 18, tzinfo=athlete.tz)
    assert all(r.starts_at.astimezone(athlete.tz).time() == dt.time(18) for r in runs)
    assert all(r.is_key and r.priority == "" for r in runs)


def test_run_events_are_edited_and_deleted_only_by_their_athlete_and_coach(
    client, coach_user, athlete
):
    race = saturday_race(athlete)
    client.force_login(CoachUserFactory())
    assert client.get(reverse("athletes:run-event-edit", args=[race.pk])).status_code == 404
    client.force_login(coach_user)
    response = client.post(
        reverse("athletes:run-event-edit", args=[race.pk]), race_form(start_time="10:30")
    )
    assert response.status_code == 302
    race.refresh_from_db()
    assert race.starts_at.astimezone(athlete.tz).time() == dt.time(10, 30)
    client.force_login(athlete.user)
    client.post(reverse("athletes:run-event-delete", args=[race.pk]))
    assert not RunEvent.objects.exists()


def test_coach_pages_for_another_coachs_athlete_are_404(client, athlete):
    client.force_login(CoachUserFactory())
    for name in ("athlete-calendar", "athlete-run-event-create", "athlete-run-event-import"):
        assert client.get(reverse(f"athletes:{name}", args=[athlete.pk])).status_code == 404


def test_a_program_goes_only_to_its_own_coachs_athletes(coach_user):
    others_athlete = AthleteFactory()
    with pytest.raises(ValidationError) as error:
        assignment_create(
            program=program_with_lifts(coach_user, weeks=6),
            athletes=[others_athlete],
            start_date=START,
        )
    assert "athletes" in error.value.message_dict
    assert not Assignment.objects.exists()


def test_placements_page_query_count_is_constant_in_athletes_and_sessions(client, coach_user):
    program = program_with_lifts(coach_user, weeks=6)
    client.force_login(coach_user)
    counts = []
    for athletes, start in ((1, START), (3, START + dt.timedelta(weeks=8))):
        assignments = assignment_create(
            program=program,
            athletes=[AthleteFactory(coach=coach_user) for _ in range(athletes)],
            start_date=start,
        )
        ids = {"id": [a.pk for a in assignments]}
        counts.append(page_queries(client, reverse("athletes:assignment-placements"), ids))
    assert counts[0] == counts[1]


# -- out-of-range input (found by the review: these were server errors) ----------------------


def test_an_id_too_big_for_the_database_is_a_404_or_shows_nothing(client, coach_user, athlete):
    program = program_with_lifts(coach_user, weeks=6)
    client.force_login(coach_user)
    too_big = "9" * 20

    response = client.post(
        reverse("athletes:assignment-create"),
        {"program": program.pk, "athletes": [too_big], "start_date": "2026-11-02"},
    )
    assert response.status_code == 404
    response = client.get(reverse("athletes:assignment-placements"), {"id": too_big})
    assert response.status_code == 200
    assert "No assignments to show" in response.content.decode()


@pytest.mark.parametrize("date", ["9999-12-27", "0001-01-01"])
def test_dates_no_calendar_can_show_are_a_message_next_to_the_field(
    client, coach_user, athlete, date
):
    program = program_with_lifts(coach_user, weeks=6)
    session = planned_session(athlete)
    client.force_login(coach_user)
    pages = [
        (
            reverse("athletes:assignment-create"),
            {"program": program.pk, "athletes": [athlete.pk], "start_date": date},
        ),
        (
            reverse("athletes:athlete-run-event-weekly", args=[athlete.pk]),
            {
                "kind": "easy",
                "weekday": 0,
                "start_time": "18:00",
                "first_date": date,
                "weeks": 52,
                "duration_minutes": 30,
            },
        ),
        (reverse("athletes:athlete-run-event-create", args=[athlete.pk]), race_form(date=date)),
        (reverse("athletes:session-move", args=[session.pk]), {"date": date}),
    ]
    for url, data in pages:
        response = client.post(url, data)
        assert response.status_code == 422, url
        assert "Pick a date" in response.content.decode(), url
    assert not Assignment.objects.filter(program=program).exists()
    assert not RunEvent.objects.exists()
    session.refresh_from_db()
    assert session.date == dt.date(2026, 11, 4)
