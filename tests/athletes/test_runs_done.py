"""Runs done: uploading a week of watch files, matching them to the plan, re-uploads, a run
entered by hand, re-matching, the calendars, and what each page costs in queries."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fit_tool.profile.profile_type import Sport

from athletes.models import RunDone, RunEvent
from athletes.services.activity_files import MAX_ACTIVITY_BYTES
from tests.athletes.activity_files import fit_activity, gpx_activity, tcx_activity
from tests.athletes.factories import AthleteFactory, RaceFactory, RunEventFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

NOW = "2026-03-15 20:00:00+00:00"  # a Sunday evening in London (GMT)
MONDAY = dt.date(2026, 3, 9)
UPLOAD = reverse("athletes:runs-done-upload")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


def upload(client, *files, url=UPLOAD):
    named = [SimpleUploadedFile(name, data) for name, data in files]
    return client.post(url, {"files": named}, follow=True)


def said(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def athlete_client(client, athlete):
    client.force_login(athlete.user)
    return client


@pytest.fixture
def week(athlete):
    """Tuesday easy 07:00, Thursday tempo 18:00, Saturday race 09:00 (London is on UTC)."""
    return {
        "easy": RunEventFactory(athlete=athlete, starts_at=at(MONDAY + dt.timedelta(1), 7)),
        "tempo": RunEventFactory(
            athlete=athlete,
            kind=RunEvent.Kind.TEMPO,
            is_key=True,
            starts_at=at(MONDAY + dt.timedelta(3), 18),
        ),
        "race": RaceFactory(athlete=athlete, starts_at=at(MONDAY + dt.timedelta(5), 9)),
    }


@time_machine.travel(NOW, tick=False)
def test_a_week_of_files_in_one_go_is_matched_to_the_plan(athlete_client, athlete, week):
    response = upload(
        athlete_client,
        ("tuesday.fit", fit_activity(start=at(MONDAY + dt.timedelta(1), 7, 5))),
        ("thursday.tcx", tcx_activity(start=at(MONDAY + dt.timedelta(3), 17, 40), heart_rate=165)),
        ("saturday.gpx", gpx_activity(start=at(MONDAY + dt.timedelta(5), 9, 2))),
        ("sunday.fit", fit_activity(start=at(MONDAY + dt.timedelta(6), 10))),
        ("ride.fit", fit_activity(start=at(MONDAY + dt.timedelta(2), 8), sport=Sport.CYCLING)),
    )
    assert response.status_code == 200
    messages = said(response)
    assert "4 runs saved: 3 matched to the plan, 1 unplanned." in messages
    assert any(m.startswith("ride.fit: This is a cycling activity, not a run") for m in messages)
    done = {r.run_event_id: r for r in RunDone.objects.filter(athlete=athlete)}
    assert set(done) == {week["easy"].pk, week["tempo"].pk, week["race"].pk, None}
    assert done[week["tempo"].pk].kind == "tempo"
    assert done[week["tempo"].pk].average_heart_rate == 165
    assert done[week["race"].pk].kind == "race"
    assert done[None].kind == "easy"  # Sunday's, unplanned
    # The week shows what was planned and what was done.
    page = athlete_client.get(reverse("athletes:calendar-week"), {"day": "2026-03-09"})
    html = page.content.decode()
    assert html.count("cal-run-done") == 4
    assert "(unplanned easy run)" in html
    assert "3.00 km" in html


@time_machine.travel(NOW, tick=False)
def test_two_runs_that_day_go_to_the_nearest_planned_one(athlete_client, athlete):
    day = MONDAY + dt.timedelta(1)
    morning = RunEventFactory(athlete=athlete, starts_at=at(day, 7))
    evening = RunEventFactory(athlete=athlete, kind="interval", starts_at=at(day, 18))
    upload(
        athlete_client,
        ("pm.fit", fit_activity(start=at(day, 18, 20))),
        ("am.fit", fit_activity(start=at(day, 6, 45))),
    )
    by_event = dict(RunDone.objects.values_list("run_event_id", "started_at"))
    assert by_event == {morning.pk: at(day, 6, 45), evening.pk: at(day, 18, 20)}


@time_machine.travel(NOW, tick=False)
def test_with_nothing_planned_a_run_is_unplanned(athlete_client, athlete):
    response = upload(athlete_client, ("run.gpx", gpx_activity(start=at(MONDAY, 12))))
    assert "1 run saved: 0 matched to the plan, 1 unplanned." in said(response)
    assert RunDone.objects.get().run_event is None


@time_machine.travel(NOW, tick=False)
def test_re_uploading_the_same_activity_creates_nothing_new(athlete_client, athlete, week):
    start = at(MONDAY + dt.timedelta(1), 7, 5)
    upload(athlete_client, ("a.fit", fit_activity(start=start)))
    again = upload(
        athlete_client,
        ("a.fit", fit_activity(start=start)),
        ("a-exported.tcx", tcx_activity(start=start)),  # the same run, from another app
    )
    assert "2 already uploaded: nothing new." in said(again)
    assert RunDone.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_refused_files_save_nothing_and_say_why_next_to_the_field(athlete_client, athlete):
    response = athlete_client.post(
        UPLOAD,
        {
            "files": [
                SimpleUploadedFile("big.gpx", b" " * (MAX_ACTIVITY_BYTES + 1)),
                SimpleUploadedFile("route.gpx", gpx_activity(times=False)),
                SimpleUploadedFile("cut.fit", fit_activity()[:700]),
            ]
        },
    )
    assert response.status_code == 422
    errors = response.context["form"].errors["files"]
    assert errors[0] == "big.gpx: The file is larger than 20 MB."
    assert errors[1].startswith("route.gpx: The GPX file has no times")
    assert errors[2].startswith("cut.fit: The FIT file is cut short or damaged")
    assert not RunDone.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_planned_run_marked_done_by_hand_once_however_often_posted(athlete_client, athlete, week):
    url = reverse("athletes:run-done-create") + f"?planned={week['easy'].pk}"
    form = athlete_client.get(url).context["form"]
    data = {
        "date": "2026-03-10",
        "start_time": "07:00",
        "duration": "45:00",
        "distance_km": "8.2",
        "rpe": "4",
        "note": "Felt fine",
        "idempotency_key": form["idempotency_key"].value(),
    }
    first = athlete_client.post(url, data)
    athlete_client.post(url, data)  # a double tap
    assert first.status_code == 302
    run = RunDone.objects.get()
    assert (run.run_event, run.kind, run.moving_seconds, run.distance_m, run.rpe) == (
        week["easy"], "easy", 2700, 8200, 4,
    )  # fmt: skip
    assert run.source == "manual"
    # Done: the calendar links to the run, and marking it done again leads there.
    assert athlete_client.get(url).url == reverse("athletes:run-done-detail", args=[run.pk])


@time_machine.travel(NOW, tick=False)
def test_an_unplanned_run_entered_by_hand_and_bad_input_next_to_the_fields(athlete_client):
    url = reverse("athletes:run-done-create")
    typed = {"start_time": "07:00", "kind": "long"}
    bad = athlete_client.post(url, {**typed, "date": "2026-03-20", "duration": "x", "rpe": "11"})
    assert bad.status_code == 422
    errors = bad.context["form"].errors
    assert set(errors) == {"date", "duration", "rpe"}
    assert not RunDone.objects.exists()
    ok = athlete_client.post(
        url, {**typed, "date": "2026-03-14", "duration": "1:30:00", "rpe": "6"}
    )
    assert ok.status_code == 302
    assert RunDone.objects.get().kind == "long"


@time_machine.travel(NOW, tick=False)
def test_a_run_is_re_matched_and_unmatched_on_its_page(athlete_client, athlete):
    day = MONDAY + dt.timedelta(1)
    morning = RunEventFactory(athlete=athlete, starts_at=at(day, 7))
    evening = RunEventFactory(athlete=athlete, kind="tempo", starts_at=at(day, 18))
    upload(athlete_client, ("run.fit", fit_activity(start=at(day, 7))))
    run = RunDone.objects.get()
    url = reverse("athletes:run-done-detail", args=[run.pk])
    page = athlete_client.get(url)
    assert "3.00 km" in page.content.decode()
    athlete_client.post(url, {"planned": str(evening.pk), "rpe": "7"})
    run.refresh_from_db()
    assert (run.run_event, run.kind, run.rpe) == (evening, "tempo", 7)
    athlete_client.post(url, {"planned": "", "kind": "long", "rpe": "7"})
    run.refresh_from_db()
    assert (run.run_event, run.kind) == (None, "long")
    assert morning.pk not in RunDone.objects.values_list("run_event_id", flat=True)


@time_machine.travel(NOW, tick=False)
def test_a_planned_run_already_done_by_another_is_not_offered(athlete_client, athlete):
    day = MONDAY + dt.timedelta(1)
    planned = RunEventFactory(athlete=athlete, starts_at=at(day, 7))
    upload(
        athlete_client,
        ("a.fit", fit_activity(start=at(day, 7))),
        ("b.fit", fit_activity(start=at(day, 15))),
    )
    other = RunDone.objects.get(run_event__isnull=True)
    url = reverse("athletes:run-done-detail", args=[other.pk])
    response = athlete_client.post(url, {"planned": str(planned.pk), "rpe": ""})
    assert response.status_code == 422  # not among its choices
    other.refresh_from_db()
    assert other.run_event is None


@time_machine.travel(NOW, tick=False)
def test_the_coach_uploads_for_an_athlete_and_sees_the_run(client, athlete, week):
    client.force_login(athlete.coach)
    url = reverse("athletes:athlete-runs-done-upload", args=[athlete.pk])
    response = upload(
        client, ("race.fit", fit_activity(start=at(MONDAY + dt.timedelta(5), 9))), url=url
    )
    assert "1 run saved: 1 matched to the plan, 0 unplanned." in said(response)
    run = RunDone.objects.get()
    assert client.get(reverse("athletes:run-done-detail", args=[run.pk])).status_code == 200
    month = client.get(
        reverse("athletes:athlete-calendar", args=[athlete.pk]), {"month": "2026-03"}
    )
    assert "cal-run-done" in month.content.decode()


@time_machine.travel(NOW, tick=False)
def test_removing_a_run_frees_its_planned_run(athlete_client, athlete, week):
    upload(athlete_client, ("a.fit", fit_activity(start=at(MONDAY + dt.timedelta(1), 7))))
    run = RunDone.objects.get()
    athlete_client.post(reverse("athletes:run-done-delete", args=[run.pk]))
    assert not RunDone.objects.exists()
    assert RunEvent.objects.filter(pk=week["easy"].pk).exists()


# -- what the pages cost --


def _runs(athlete, count):
    RunDone.objects.bulk_create(
        RunDone(
            athlete=athlete,
            started_at=at(MONDAY, 6) + dt.timedelta(hours=5 * i),
            elapsed_seconds=1500,
            moving_seconds=1500,
            distance_m=5000,
            rpe=5,
            kind="race" if i % 2 else "tempo",
            average_heart_rate=160,
            source="fit",
            splits=[{"m": 1000, "s": 300.0}] * 5,
        )
        for i in range(count)
    )


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "url",
    [
        UPLOAD,
        reverse("athletes:calendar-week") + "?day=2026-03-09",
        reverse("athletes:calendar-month") + "?month=2026-03",
        reverse("athletes:progress-show"),
    ],
)
def test_pages_cost_the_same_queries_for_2_and_20_runs(client, url):
    counts = []
    for count in (2, 20):
        athlete = AthleteFactory()
        _runs(athlete, count)
        RunEventFactory(athlete=athlete, starts_at=at(MONDAY, 6))
        client.force_login(athlete.user)
        counts.append(page_queries(client, url))
    assert counts[0] == counts[1]


@time_machine.travel(NOW, tick=False)
def test_the_coach_athlete_page_costs_the_same_for_2_and_20_runs(client):
    counts = []
    for count in (2, 20):
        athlete = AthleteFactory()
        _runs(athlete, count)
        client.force_login(athlete.coach)
        counts.append(page_queries(client, reverse("athletes:athlete-detail", args=[athlete.pk])))
    assert counts[0] == counts[1]
