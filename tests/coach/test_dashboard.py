"""The coach's roster dashboard: who is flagged, who is slipping, who races soon."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from athletes.models import Flag, RunDone, ScheduledSession
from athletes.services.scheduling import assignment_create
from coach import dashboard as roster_dashboard
from coach.dashboard import ROWS_PER_PAGE
from tests.athletes.factories import (
    AthleteFactory,
    RaceFactory,
    RunEventFactory,
    program_with_lifts,
    sessions_logged,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

START = dt.date(2026, 3, 2)  # a Monday
NOW = "2026-04-15 12:00:00+00:00"  # Wednesday of week 7 of an 8-week block
TODAY = dt.date(2026, 4, 15)


@pytest.fixture
def coach_client(client, coach_user):
    client.force_login(coach_user)
    return client


def athletes_named(coach, *names):
    return [
        AthleteFactory(
            coach=coach, user__first_name=name, user__last_name="Runner", user__password=None
        )
        for name in names
    ]


def flag(athlete, severity, event_name="Club 5K"):
    session = ScheduledSession.objects.filter(athlete=athlete, date__gte=TODAY).first()
    return Flag.objects.create(
        athlete=athlete,
        scheduled_session=session,
        run_event=RaceFactory(athlete=athlete, name=event_name),
        severity=severity,
        hours_before=20 if severity == "conflict" else 30,
        session_ends_at=session.starts_at,
        event_starts_at=session.starts_at + dt.timedelta(hours=20),
        event_name=event_name,
    )


def dashboard(client, **params):
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200
    return response


def names(response):
    return [row.athlete.user.first_name for row in response.context["rows"]]


@pytest.fixture
def roster(coach_user):
    """Ann keeps up, Bea is slipping, Cat has a conflict, Dee a warning, Eve races on Saturday."""
    athletes = athletes_named(coach_user, "Ann", "Bea", "Cat", "Dee", "Eve")
    program = program_with_lifts(coach_user, weeks=8)
    assignment_create(program=program, athletes=athletes, start_date=START)
    past = ScheduledSession.objects.filter(date__lt=TODAY)
    sessions_logged(past.exclude(athlete=athletes[1]))
    bea_recent = list(
        past.filter(athlete=athletes[1], date__gte=TODAY - dt.timedelta(days=14)).order_by("date")
    )  # four sessions due: she does the last, skips the first and misses two
    sessions_logged(past.filter(athlete=athletes[1]).exclude(pk__in=[s.pk for s in bea_recent[:3]]))
    ScheduledSession.objects.filter(pk=bea_recent[0].pk).update(
        status="skipped", skip_reason="Tired"
    )
    flag(athletes[2], "conflict")
    flag(athletes[3], "warning")
    RaceFactory(
        athlete=athletes[4], name="Spring 5K", starts_at=dt.datetime(2026, 4, 18, 9, tzinfo=dt.UTC)
    )
    return {a.user.first_name: a for a in athletes}


@time_machine.travel(NOW, tick=False)
def test_each_row_shows_program_week_compliance_flags_race_and_last_session(coach_client, roster):
    response = dashboard(coach_client)
    rows = {row.athlete.user.first_name: row for row in response.context["rows"]}
    ann = rows["Ann"]
    assert ann.program_week == 7 and ann.assignment.program.weeks == 8
    assert (ann.compliance_14.completed, ann.compliance_14.due) == (4, 4)
    assert rows["Bea"].compliance_14.percent == 25 and rows["Bea"].compliance_14.is_low
    assert rows["Eve"].days_to_race == 3
    html = response.content.decode()
    assert "Week 7 of 8" in html and "in 3 days" in html
    assert "1 conflict" in html and "1 warning" in html and "20 h before Club 5K" in html
    assert "session RPE 7" in html
    ann_page = reverse("athletes:athlete-detail", args=[roster["Ann"].pk])
    assert f'<a class="tap-target" href="{ann_page}">Ann Runner</a>' in html


@time_machine.travel(NOW, tick=False)
def test_by_default_conflicts_come_first_then_warnings_then_slipping(coach_client, roster):
    assert names(dashboard(coach_client)) == ["Cat", "Dee", "Bea", "Eve", "Ann"]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("show", "expected"),
    [("flagged", ["Cat", "Dee"]), ("low", ["Bea"]), ("racing", ["Eve"])],
)
def test_filters_narrow_the_roster(coach_client, roster, show, expected):
    assert names(dashboard(coach_client, show=show)) == expected


@time_machine.travel(NOW, tick=False)
def test_filter_links_show_how_many_athletes_each_would_show(coach_client, roster):
    filters = {key: count for key, _, count, _ in dashboard(coach_client).context["filters"]}
    assert filters == {"": 5, "flagged": 2, "low": 1, "racing": 1}


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Ann", "Bea", "Cat", "Dee", "Eve"]),
        ("compliance", ["Bea", "Ann", "Cat", "Dee", "Eve"]),
        ("race", ["Eve", "Cat", "Dee", "Ann", "Bea"]),
    ],
)
def test_sorting(coach_client, roster, sort, expected):
    assert names(dashboard(coach_client, sort=sort)) == expected


@time_machine.travel(NOW, tick=False)
def test_a_mistyped_filter_shows_everyone_instead_of_an_error(coach_client, roster):
    response = dashboard(coach_client, show="nonsense", sort="<script>")
    assert len(response.context["rows"]) == 5 and response.context["sort"] == "attention"


@time_machine.travel(NOW, tick=False)
def test_acknowledged_and_resolved_flags_no_longer_count(coach_client, roster):
    Flag.objects.filter(athlete=roster["Cat"]).update(acknowledged_at=dt.datetime.now(dt.UTC))
    Flag.objects.filter(athlete=roster["Dee"]).update(resolved_at=dt.datetime.now(dt.UTC))
    assert names(dashboard(coach_client, show="flagged")) == []


@time_machine.travel(NOW, tick=False)
def test_other_coaches_athletes_are_not_listed(coach_client, roster):
    AthleteFactory(user__first_name="Zed")
    assert "Zed" not in names(dashboard(coach_client))


@time_machine.travel(NOW, tick=False)
def test_an_athlete_without_a_program_or_history_still_gets_a_row(coach_client, coach_user):
    athletes_named(coach_user, "New")
    html = dashboard(coach_client).content.decode()
    assert "No program" in html and "Nothing logged" in html


def _dashboard_queries(client, **params):
    return page_queries(client, reverse("dashboard"), params)


@time_machine.travel(NOW, tick=False)
def test_dashboard_query_count_is_the_same_for_10_and_200_athletes(coach_client, coach_user):
    program = program_with_lifts(coach_user, weeks=8)

    def add(count):
        athletes = [AthleteFactory(coach=coach_user, user__password=None) for _ in range(count)]
        assignment_create(program=program, athletes=athletes, start_date=START)
        sessions_logged(ScheduledSession.objects.filter(athlete__in=athletes, date__lt=TODAY))
        for athlete in athletes[::3]:
            flag(athlete, "conflict")
            RaceFactory(athlete=athlete)

    add(10)
    ten = _dashboard_queries(coach_client)
    add(190)
    response = dashboard(coach_client)
    assert len(response.context["rows"]) == ROWS_PER_PAGE
    assert response.context["matching"] == 200
    assert _dashboard_queries(coach_client) == ten


@pytest.fixture
def two_a_page(monkeypatch):
    monkeypatch.setattr(roster_dashboard, "ROWS_PER_PAGE", 2)


def pages(client, **params):
    """Every page's names, following the Next links as a coach would."""
    listed, response = [], dashboard(client, **params)
    while True:
        listed.append(names(response))
        if not response.context["next_url"]:
            return listed
        response = client.get(reverse("dashboard") + response.context["next_url"])


@time_machine.travel(NOW, tick=False)
def test_who_needs_attention_comes_first_across_pages(coach_client, roster, two_a_page):
    assert pages(coach_client) == [["Cat", "Dee"], ["Bea", "Eve"], ["Ann"]]


@time_machine.travel(NOW, tick=False)
def test_pages_keep_the_filter_and_the_sort(coach_client, roster, two_a_page):
    assert pages(coach_client, sort="name") == [["Ann", "Bea"], ["Cat", "Dee"], ["Eve"]]
    assert pages(coach_client, show="flagged") == [["Cat", "Dee"]]


@time_machine.travel(NOW, tick=False)
def test_filter_counts_cover_the_whole_roster_not_the_page(coach_client, roster, two_a_page):
    response = dashboard(coach_client)
    filters = {key: count for key, _, count, _ in response.context["filters"]}
    assert filters == {"": 5, "flagged": 2, "low": 1, "racing": 1}
    assert "1–2 of 5 athletes" in response.content.decode()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("page", ["0", "-1", "abc", "99"])
def test_an_impossible_page_number_shows_a_page_not_an_error(
    coach_client, roster, two_a_page, page
):
    response = dashboard(coach_client, page=page)
    assert names(response) in (["Cat", "Dee"], ["Ann"])


@time_machine.travel(NOW, tick=False)
def test_every_page_costs_the_same_queries(coach_client, roster, two_a_page):
    assert _dashboard_queries(coach_client, page=3) == _dashboard_queries(coach_client)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bea", ["Bea"]),
        ("  CAT  ", ["Cat"]),
        ("runner", ["Cat", "Dee", "Bea", "Eve", "Ann"]),
        ("ann runner", ["Ann"]),
        ("ann bea", []),
    ],
)
def test_search_finds_athletes_by_name(coach_client, roster, query, expected):
    assert names(dashboard(coach_client, q=query)) == expected


@time_machine.travel(NOW, tick=False)
def test_search_finds_by_username_and_email(coach_client, roster):
    user = roster["Dee"].user
    user.username, user.email = "dee.track", "dee@harriers.example"
    user.save()
    assert names(dashboard(coach_client, q="track")) == ["Dee"]
    assert names(dashboard(coach_client, q="harriers")) == ["Dee"]


@time_machine.travel(NOW, tick=False)
def test_search_counts_filters_among_those_it_finds(coach_client, roster):
    response = dashboard(coach_client, q="cat")
    filters = {key: count for key, _, count, _ in response.context["filters"]}
    assert filters == {"": 1, "flagged": 1, "low": 0, "racing": 0}
    assert "1 of 5 athletes matching “cat”" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_search_with_no_match_says_so_and_offers_everyone(coach_client, roster):
    html = dashboard(coach_client, q="zebedee").content.decode()
    assert "No athletes match “zebedee”" in html and "Show all 5" in html


@time_machine.travel(NOW, tick=False)
def test_an_overlong_or_hostile_search_is_cut_and_escaped(coach_client, roster):
    response = dashboard(coach_client, q="<script>" + "x" * 500)
    assert response.context["q"] == ("<script>" + "x" * 500)[:100]
    assert "<script>xxx" not in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_typing_in_the_search_box_swaps_only_the_roster(coach_client, roster):
    response = coach_client.get(reverse("dashboard"), {"q": "ee"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="roster">') and "<html" not in html
    assert "Dee Runner" in html and "Bea Runner" not in html
    assert 'id="roster-search"' not in html  # the box being typed in is left alone


@time_machine.travel("2026-04-15 13:00:00+00:00", tick=False)  # already the 16th in Auckland
def test_compliance_counts_the_days_before_each_athletes_own_today(coach_client, coach_user):
    london, auckland = athletes_named(coach_user, "Lon", "Akl")
    auckland.time_zone = "Pacific/Auckland"
    auckland.save()
    assignment_create(
        program=program_with_lifts(coach_user, weeks=8),
        athletes=[london, auckland],
        start_date=START,
    )
    ScheduledSession.objects.filter(date__lt=TODAY).update(status="completed")
    for athlete in (london, auckland):  # each has a session on the 15th, not done
        ScheduledSession.objects.filter(
            pk=athlete.scheduled_sessions.filter(date__gt=TODAY).earliest("date").pk
        ).update(date=TODAY)
    rows = {r.athlete.user.first_name: r for r in dashboard(coach_client).context["rows"]}
    # The 15th is still today in London (not due yet) but yesterday, and missed, in Auckland.
    assert (rows["Lon"].compliance_14.completed, rows["Lon"].compliance_14.due) == (4, 4)
    assert (rows["Akl"].compliance_14.completed, rows["Akl"].compliance_14.due) == (4, 5)


@time_machine.travel(NOW, tick=False)
def test_low_compliance_filter_reads_each_athletes_own_today(coach_client, coach_user):
    london, auckland = athletes_named(coach_user, "Lon", "Akl")
    auckland.time_zone = "Pacific/Auckland"
    auckland.save()
    assignment_create(
        program=program_with_lifts(coach_user, weeks=8),
        athletes=[london, auckland],
        start_date=START,
    )
    ScheduledSession.objects.filter(date__lt=TODAY).update(status="completed")
    for athlete in (london, auckland):  # the last session before the 15th missed; one on it
        missed = athlete.scheduled_sessions.filter(date__lt=TODAY).latest("date")
        ScheduledSession.objects.filter(pk=missed.pk).update(status="planned")
        ScheduledSession.objects.filter(
            pk=athlete.scheduled_sessions.filter(date__gt=TODAY).earliest("date").pk
        ).update(date=TODAY)
    # London: 3 of 4 (75 %); Auckland, whose 15th is over and missed: 3 of 5 (60 %, low).
    rows = {r.athlete.user.first_name: r for r in dashboard(coach_client).context["rows"]}
    assert (rows["Lon"].compliance_14.completed, rows["Lon"].compliance_14.due) == (3, 4)
    assert (rows["Akl"].compliance_14.completed, rows["Akl"].compliance_14.due) == (3, 5)
    response = dashboard(coach_client, show="low")
    assert names(response) == ["Akl"]
    filters = {key: count for key, _, count, _ in response.context["filters"]}
    assert filters["low"] == 1


@time_machine.travel("2026-04-15 13:00:00+00:00", tick=False)  # already the 16th in Auckland
def test_run_compliance_beside_strength_counts_planned_runs_done(coach_client, coach_user):
    london, auckland = athletes_named(coach_user, "Lon", "Akl")
    auckland.time_zone = "Pacific/Auckland"
    auckland.save()
    for athlete in (london, auckland):
        planned = [
            RunEventFactory(athlete=athlete, starts_at=dt.datetime(2026, 4, day, 7, tzinfo=dt.UTC))
            for day in (2, 6, 9, 13, 15)  # 15 Apr 07:00 UTC: still to come in London today
        ]
        for event in planned[1:3]:  # the 6th and the 9th done
            RunDone.objects.create(
                athlete=athlete, run_event=event, started_at=event.starts_at,
                elapsed_seconds=1800, moving_seconds=1800, source="manual",
            )  # fmt: skip
        RunDone.objects.create(  # unplanned: counts for nothing here
            athlete=athlete, started_at=dt.datetime(2026, 4, 10, 7, tzinfo=dt.UTC),
            elapsed_seconds=1800, moving_seconds=1800, source="manual",
        )  # fmt: skip
    response = dashboard(coach_client)
    rows = {r.athlete.user.first_name: r for r in response.context["rows"]}
    lon_14, lon_28 = rows["Lon"].run_compliances
    # London's last 14 days are 1–14 Apr: the 2nd, 6th, 9th and 13th due, two done.
    assert (lon_14.completed, lon_14.due, lon_28.due) == (2, 4, 4)
    # Auckland's today is the 16th: its 15 Apr run (19:00 there) was due too, and missed.
    akl_14 = rows["Akl"].run_compliance_14
    assert (akl_14.completed, akl_14.due, akl_14.percent) == (2, 5, 40)
    assert "2 of 4 planned runs done" in response.content.decode()
