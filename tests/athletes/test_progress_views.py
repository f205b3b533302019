"""The progress pages, recording transfer tests, the coach's athlete page and CSV export."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from athletes.models import Flag, ScheduledSession, TransferTest
from athletes.services.scheduling import assignment_create, session_move
from tests.athletes.factories import AthleteFactory, program_with_lifts, sessions_logged
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

START = dt.date(2026, 3, 2)  # a Monday
NOW = "2026-04-15 12:00:00+00:00"  # a Wednesday in week 7 of the 8-week block
TODAY = dt.date(2026, 4, 15)


@pytest.fixture
def coach_client(client, coach_user):
    client.force_login(coach_user)
    return client


@pytest.fixture
def athlete_client(client, athlete):
    client.force_login(athlete.user)
    return client


@pytest.fixture
def block(athlete):
    program = program_with_lifts(athlete.coach, weeks=8)
    assignment_create(program=program, athletes=[athlete], start_date=START)
    return program


def record(client, url, **data):
    return client.post(url, {"date": "2026-04-14", **data})


# -- recording tests --


@time_machine.travel(NOW, tick=False)
def test_athlete_records_a_bounding_test_and_sees_it_in_the_chart_table(athlete_client, athlete):
    response = record(
        athlete_client,
        reverse("athletes:transfer-test-create"),
        kind="bounding",
        result="12.4",
        detail="5 bounds",
    )
    assert response.status_code == 302
    assert response.url == reverse("athletes:progress-show") + "#chart-bounding"
    test = TransferTest.objects.get(athlete=athlete)
    assert (test.kind, test.value, test.recorded_by) == ("bounding", Decimal("12.40"), athlete.user)
    page = athlete_client.get(response.url).content.decode()
    assert "12.4 m" in page and "5 bounds" in page


@time_machine.travel(NOW, tick=False)
def test_a_5k_result_is_typed_as_minutes_and_seconds_with_splits(athlete_client, athlete):
    record(
        athlete_client,
        reverse("athletes:transfer-test-create"),
        kind="race_5k",
        result="19:45",
        splits="3:55 3:58 4:01 3:57 3:54",
    )
    test = TransferTest.objects.get(athlete=athlete)
    assert test.value == Decimal(1185) and test.splits == [235, 238, 241, 237, 234]
    csv_text = b"".join(
        athlete_client.get(reverse("athletes:progress-export", args=["tests"])).streaming_content
    ).decode()
    assert "1185.00,s,,235 238 241 237 234," in csv_text
    page = athlete_client.get(reverse("athletes:progress-show")).content.decode()
    assert "19:45" in page and "3:55, 3:58, 4:01, 3:57, 3:54" in page


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "bounding", "result": "lots"}, "result", "Enter a number, like 11.8."),
        ({"kind": "bounding", "result": "124"}, "result", "Expected between 0.5 m and 60 m."),
        ({"kind": "tempo_rpe", "result": "11"}, "result", "Expected between RPE 1 and RPE 10."),
        ({"kind": "sprint", "result": "8.1", "splits": "4:00"}, "splits", "Splits are for 5K"),
        ({"kind": "race_5k", "result": "19:75"}, "result", "Enter a time, like 19:45."),
        ({"kind": "race_5k", "result": "19:45", "splits": "3:5x"}, "splits", "as m:ss"),
        ({"kind": "sprint", "result": "8.1", "date": "2026-04-16"}, "date", "in the future"),
        ({"kind": "long_jump", "result": "3"}, "kind", "Select a valid choice"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_nothing_is_saved(
    athlete_client, data, field, message
):
    response = athlete_client.post(
        reverse("athletes:transfer-test-create"), {"date": "2026-04-14", **data}
    )
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert message.split("&")[0] in response.content.decode()
    assert not TransferTest.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_record_button_of_a_chart_preselects_its_test(athlete_client):
    response = athlete_client.get(reverse("athletes:transfer-test-create") + "?kind=hill")
    assert 'value="hill"\n             checked' in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_coach_records_a_test_for_their_athlete(coach_client, coach_user, athlete):
    url = reverse("athletes:athlete-transfer-test-create", args=[athlete.pk])
    response = record(coach_client, url, kind="sprint", result="8.15", detail="60 m")
    assert response.url == reverse("athletes:athlete-detail", args=[athlete.pk]) + "#chart-sprint"
    assert TransferTest.objects.get(athlete=athlete).recorded_by == coach_user


def test_coach_cannot_record_for_another_coachs_athlete(coach_client):
    other = AthleteFactory()
    url = reverse("athletes:athlete-transfer-test-create", args=[other.pk])
    assert record(coach_client, url, kind="sprint", result="8.15").status_code == 404
    assert not TransferTest.objects.exists()


def test_a_new_athlete_sees_empty_charts_inviting_a_first_test(athlete_client):
    page = athlete_client.get(reverse("athletes:progress-show")).content.decode()
    # five tests, the load and two run-transfer charts, four strength charts
    assert page.count("Nothing recorded yet.") == 5 + 3 + 4
    assert "<svg" not in page.split("<main")[1]


# -- the change over the block --


@time_machine.travel(NOW, tick=False)
def test_progress_shows_the_change_from_block_start_to_the_latest_test(
    athlete_client, athlete, block
):
    for day, value in ((START - dt.timedelta(days=2), "11.50"), (TODAY, "12.30")):
        TransferTest.objects.create(athlete=athlete, kind="bounding", date=day, value=value)
    page = athlete_client.get(reverse("athletes:progress-show")).content.decode()
    # The block runs to 26 Apr: the newest test is the latest so far, not the block's end.
    assert "Block start 11.5 m (28 Feb) → latest 12.3 m (15 Apr): +0.8 m (+7.0%), better" in page
    assert "the strength block “Strength block”, 2 Mar – 26 Apr 2026" in page
    assert 'class="chart-block"' in page


@time_machine.travel("2026-05-05 12:00:00+00:00", tick=False)
def test_once_the_block_is_over_its_retest_is_the_end_result(athlete_client, athlete, block):
    for day, value in ((START - dt.timedelta(days=2), "8.40"), (dt.date(2026, 4, 30), "8.10")):
        TransferTest.objects.create(athlete=athlete, kind="sprint", date=day, value=value)
    page = athlete_client.get(reverse("athletes:progress-show")).content.decode()
    assert "Block start 8.4 s (28 Feb) → end 8.1 s (30 Apr): −0.3 s (−3.6%), better" in page


@time_machine.travel(NOW, tick=False)
def test_sprint_and_bounding_charts_come_first_side_by_side(coach_client, athlete):
    page = coach_client.get(reverse("athletes:athlete-detail", args=[athlete.pk])).content.decode()
    positions = [page.index(f'id="chart-{kind}"') for kind in ("sprint", "bounding", "hill")]
    assert positions == sorted(positions)


@time_machine.travel(NOW, tick=False)
def test_5k_chart_axis_reads_as_race_times(athlete_client, athlete):
    for day, value in ((dt.date(2026, 3, 1), "1248.78"), (dt.date(2026, 4, 12), "1213.57")):
        TransferTest.objects.create(athlete=athlete, kind="race_5k", date=day, value=value)
    page = athlete_client.get(reverse("athletes:progress-show")).content.decode()
    chart = page[page.index('id="chart-race_5k"') :]
    chart = chart[: chart.index("</svg>")]
    assert ">20:00</text>" in chart and ">21:00</text>" in chart
    assert ">1200</text>" not in chart


@time_machine.travel(NOW, tick=False)
def test_strength_charts_show_estimated_max_volume_and_load(athlete_client, athlete, block):
    sessions_logged(ScheduledSession.objects.filter(athlete=athlete, date__lt=TODAY))
    page = athlete_client.get(reverse("athletes:progress-show")).content.decode()
    # Week 1 back squat 4 × 5 @ 60 kg: 60 × (1 + 5/30) = 70; week 7 at 75 kg: 87.5.
    assert "<td>Back squat</td><td>70</td>" in page
    assert "<td>Back squat</td><td>87.5</td>" in page
    # Week 1: Day A 4 + 3 sets, Day B 3 + 4 sets = 14 sets (each side of a set is one set).
    assert '<th scope="row" class="text-nowrap">2026-03-02</th><td>14</td>' in page
    # Two sessions of RPE 7 × 32 minutes: 448.
    assert '<th scope="row" class="text-nowrap">2026-03-02</th><td>2</td><td>448</td>' in page


@time_machine.travel(NOW, tick=False)
def test_loads_are_shown_in_the_athletes_unit(client, block):
    athlete = block.assignments.get().athlete
    athlete.unit = "lb"
    athlete.save()
    sessions_logged(ScheduledSession.objects.filter(athlete=athlete, date__lt=TODAY))
    client.force_login(athlete.user)
    page = client.get(reverse("athletes:progress-show")).content.decode()
    assert "Estimated 1RM (lb)" in page and "<td>Back squat</td><td>154.3</td>" in page


# -- the coach's athlete page --


@time_machine.travel(NOW, tick=False)
def test_athlete_page_shows_compliance_log_flags_and_progress(coach_client, athlete, block):
    done = ScheduledSession.objects.filter(athlete=athlete, date__lt=TODAY).order_by("date")
    sessions_logged(done.exclude(pk=done.last().pk))
    done.filter(pk=done.last().pk).update(status="skipped", skip_reason="Sick")
    upcoming = ScheduledSession.objects.filter(athlete=athlete, date__gte=TODAY).first()
    Flag.objects.create(
        athlete=athlete,
        scheduled_session=upcoming,
        severity="conflict",
        hours_before=20,
        session_ends_at=upcoming.starts_at,
        event_starts_at=upcoming.starts_at + dt.timedelta(hours=20),
        event_name="Club 5K",
    )
    page = coach_client.get(reverse("athletes:athlete-detail", args=[athlete.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Skipped" in html and "Sick" in html
    assert "Back squat: 4 × 5 @ 72.5 kg" in html  # week 6: 60 + 5 × 2.5
    assert "<strong>20 h</strong> before Club 5K" in html and "Keep anyway" in html
    assert "75%" in html  # 14 days: 3 of 4 due sessions done, the last skipped
    assert 'id="chart-bounding"' in html and 'id="chart-e1rm"' in html
    assert "April 2026: runs and lifts" in html and 'class="cal-month' in html


@time_machine.travel(NOW, tick=False)
def test_a_rescheduled_session_counts_once_in_compliance(coach_client, athlete, block):
    ScheduledSession.objects.filter(athlete=athlete, date__lt=TODAY - dt.timedelta(days=14)).update(
        status="completed"
    )
    recent = ScheduledSession.objects.filter(
        athlete=athlete, date__gte=TODAY - dt.timedelta(days=14), date__lt=TODAY
    ).order_by("date")
    first = recent.first()
    with time_machine.travel(dt.datetime.combine(first.date, dt.time(6), dt.UTC), tick=False):
        session_move(
            session=first, date=first.date + dt.timedelta(days=1), time_of_day=None, by_coach=True
        )
    recent.update(status="completed")
    response = coach_client.get(reverse("athletes:athlete-detail", args=[athlete.pk]))
    c14 = response.context["compliance"][14]
    assert c14.completed == c14.due == recent.count() == 4


def _athlete_page_queries(client, athlete):
    return page_queries(client, reverse("athletes:athlete-detail", args=[athlete.pk]))


def _own_progress_queries(athlete):
    client = Client()
    client.force_login(athlete.user)
    return page_queries(client, reverse("athletes:progress-show"))


@time_machine.travel(NOW, tick=False)
def test_athlete_and_progress_pages_query_counts_are_the_same_for_10_and_300_sessions(
    coach_client, coach_user
):
    few, many = AthleteFactory(coach=coach_user), AthleteFactory(coach=coach_user)
    short = program_with_lifts(coach_user, weeks=5, name="Short")
    assignment_create(program=short, athletes=[few], start_date=START)
    sessions_logged(ScheduledSession.objects.filter(athlete=few))
    for few_tests in range(3):
        TransferTest.objects.create(athlete=few, kind="sprint", date=START, value=8 + few_tests)
    # 300 sessions: 19 blocks of 8 weeks × 2 sessions, Monday after Monday, logged.
    program = program_with_lifts(coach_user, weeks=8, name="Long")
    for n in reversed(range(19)):  # oldest first: each block starts when the one before ends
        assignment_create(
            program=program, athletes=[many], start_date=START - dt.timedelta(weeks=8 * n)
        )
    sessions_logged(ScheduledSession.objects.filter(athlete=many)[:300])
    for n in range(40):
        TransferTest.objects.create(
            athlete=many, kind="bounding", date=START - dt.timedelta(days=n), value=10 + n / 10
        )
    assert ScheduledSession.objects.filter(athlete=few, status="completed").count() == 10
    assert ScheduledSession.objects.filter(athlete=many, status="completed").count() == 300
    assert _athlete_page_queries(coach_client, few) == _athlete_page_queries(coach_client, many)
    assert _own_progress_queries(few) == _own_progress_queries(many)


# -- CSV export --


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@time_machine.travel(NOW, tick=False)
def test_coach_exports_an_athletes_log_and_tests_as_csv(coach_client, athlete, block):
    sessions_logged(
        ScheduledSession.objects.filter(athlete=athlete, date__lt=START + dt.timedelta(days=7))
    )
    TransferTest.objects.create(
        athlete=athlete, kind="race_5k", date=TODAY, value=1185, splits=[235, 238], notes="=cmd()"
    )
    log = coach_client.get(reverse("athletes:athlete-progress-export", args=[athlete.pk, "log"]))
    assert log["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in log["Content-Disposition"]
    rows = _csv(log)
    assert rows[0][:3] == ["date", "session", "status"]
    assert len(rows) == 1 + 14  # the first week's 14 sets
    assert rows[1][6:11] == ["Back squat", "1", "", "5", "60.00"]
    tests = _csv(
        coach_client.get(reverse("athletes:athlete-progress-export", args=[athlete.pk, "tests"]))
    )
    assert tests[1] == ["2026-04-15", "race_5k", "1185.00", "s", "", "235 238", "'=cmd()"]


def test_export_of_something_else_is_a_404(athlete_client):
    assert (
        athlete_client.get(reverse("athletes:progress-export", args=["secrets"])).status_code == 404
    )


# -- removing a mistaken test --


@time_machine.travel(NOW, tick=False)
def test_athlete_removes_a_test_recorded_by_mistake(athlete_client, athlete):
    test = TransferTest.objects.create(athlete=athlete, kind="sprint", date=TODAY, value="81.5")
    page = athlete_client.get(reverse("athletes:progress-show")).content.decode()
    delete_url = reverse("athletes:transfer-test-delete", args=[test.pk])
    assert f'action="{delete_url}"' in page
    response = athlete_client.post(delete_url)
    assert response.url == reverse("athletes:progress-show") + "#chart-sprint"
    assert not TransferTest.objects.exists()


def test_coach_cannot_remove_another_coachs_athletes_test(coach_client):
    test = TransferTest.objects.create(
        athlete=AthleteFactory(), kind="sprint", date=TODAY, value="8.1"
    )
    response = coach_client.post(reverse("athletes:transfer-test-delete", args=[test.pk]))
    assert response.status_code == 404 and TransferTest.objects.filter(pk=test.pk).exists()
