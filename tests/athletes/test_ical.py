"""The iCalendar feed (secret, revocable) and .ics import (preview, de-duplication, bad files)."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from athletes.models import RunEvent
from athletes.services import ical
from athletes.services.run_events import run_event_create
from tests.athletes.factories import AthleteFactory, RaceFactory, ScheduledSessionFactory
from tests.athletes.hostile_calendars import HOSTILE_CALENDARS

pytestmark = pytest.mark.django_db


def soon():
    """Ten days after the test's today (read when the test runs, not when the file is imported:
    under COACH_TEST_NOW those are different days)."""
    return timezone.localdate() + dt.timedelta(days=10)


def at(athlete, days, hour, minute=0):
    return dt.datetime.combine(
        soon() + dt.timedelta(days=days), dt.time(hour, minute), tzinfo=athlete.tz
    )


def running_week(athlete):
    RaceFactory(athlete=athlete, name="Riverside 5K", starts_at=at(athlete, 5, 9), priority="B")
    run_event_create(
        athlete=athlete,
        kind="interval",
        name="Track 6 × 800 m",
        starts_at=at(athlete, 1, 18, 30),
        duration_minutes=60,
        is_key=True,
    )
    run_event_create(athlete=athlete, kind="long", name="", starts_at=at(athlete, 6, 8))


def feed(client, athlete):
    return client.get(reverse("athletes:calendar-feed", args=[athlete.feed_token]))


def as_values(events):
    fields = ("kind", "name", "starts_at", "duration_minutes", "distance_m", "priority", "is_key")
    return sorted(tuple(getattr(e, f) for f in fields) for e in events)


def one_calendar(*events):
    """An .ics file of these events, each given as its lines between BEGIN and END:VEVENT."""
    body = "".join(f"BEGIN:VEVENT\r\n{event}END:VEVENT\r\n" for event in events)
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n{body}END:VCALENDAR\r\n".encode()
    )


def upload(client, url, content, name="races.ics"):
    return client.post(url, {"ics_file": SimpleUploadedFile(name, content, "text/calendar")})


# -- the feed -------------------------------------------------------------------------------


def test_feed_needs_no_login_only_the_token_and_holds_sessions_and_runs(client, athlete):
    running_week(athlete)
    ScheduledSessionFactory(athlete=athlete, date=soon() + dt.timedelta(days=2), name="Day A")

    response = feed(client, athlete)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = sorted(str(e["summary"]) for e in calendar.walk("VEVENT"))
    assert summaries == ["Long run", "Riverside 5K", "Strength: Day A (heavy)", "Track 6 × 800 m"]
    race = next(e for e in calendar.walk("VEVENT") if str(e["summary"]) == "Riverside 5K")
    assert race.decoded("dtstart") == at(athlete, 5, 9)


def test_a_guessed_token_is_404(client, athlete):
    response = client.get(reverse("athletes:calendar-feed", args=["not-the-token"]))
    assert response.status_code == 404


def test_replacing_the_link_stops_the_old_one(client, athlete):
    old = reverse("athletes:calendar-feed", args=[athlete.feed_token])
    client.force_login(athlete.user)

    response = client.post(reverse("athletes:calendar-feed-revoke"))

    assert response.status_code == 302
    athlete.refresh_from_db()
    client.logout()
    assert client.get(old).status_code == 404
    assert feed(client, athlete).status_code == 200


# -- round trip -----------------------------------------------------------------------------


def test_export_then_import_into_a_fresh_athlete_gives_the_same_run_events(client, athlete):
    running_week(athlete)
    ScheduledSessionFactory(athlete=athlete, date=soon())
    exported = feed(client, athlete).content
    fresh = AthleteFactory(time_zone=athlete.time_zone)
    client.force_login(fresh.user)
    url = reverse("athletes:run-event-import")

    preview = upload(client, url, exported)
    assert preview.status_code == 200
    assert "3 new, 0 changed, 0 already here, 1 left out" in preview.content.decode()
    assert not fresh.run_events.exists()  # nothing is saved before the coach confirms
    confirmed = client.post(url, {"confirm": "1"})

    assert confirmed.status_code == 302
    assert as_values(fresh.run_events.all()) == as_values(athlete.run_events.all())


def test_importing_the_same_file_again_creates_nothing_new(athlete):
    running_week(athlete)
    exported = ical.feed_ics(athlete, [], athlete.run_events.all())
    fresh = AthleteFactory()
    runs, skipped = ical.ics_parse(exported, fresh.tz)
    assert ical.ics_import_apply(athlete=fresh, runs=runs) == (3, 0)

    again = ical.ics_import_preview(athlete=fresh, runs=runs, skipped=skipped)

    assert (len(again.new), len(again.changed), len(again.unchanged)) == (0, 0, 3)
    assert ical.ics_import_apply(athlete=fresh, runs=runs) == (0, 0)
    assert fresh.run_events.count() == 3


def test_an_athlete_reimporting_their_own_feed_duplicates_nothing(athlete):
    running_week(athlete)
    exported = ical.feed_ics(athlete, [], athlete.run_events.all())
    runs, _ = ical.ics_parse(exported, athlete.tz)
    assert ical.ics_import_apply(athlete=athlete, runs=runs) == (0, 0)
    assert athlete.run_events.count() == 3


def test_a_moved_race_in_a_reimport_updates_the_race(athlete):
    fresh = AthleteFactory()
    original = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:race-1@club\r\nSUMMARY:Club 10K race\r\nDTSTART:20261205T100000Z\r\n"
        b"DTEND:20261205T110000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    ical.ics_import_apply(athlete=fresh, runs=ical.ics_parse(original, fresh.tz)[0])
    moved = original.replace(b"20261205T1", b"20261206T1")

    assert ical.ics_import_apply(athlete=fresh, runs=ical.ics_parse(moved, fresh.tz)[0]) == (0, 1)
    race = fresh.run_events.get()
    assert race.starts_at == dt.datetime(2026, 12, 6, 10, tzinfo=dt.UTC)
    assert (race.kind, race.distance_m, race.priority) == ("race", 10_000, "B")


def test_another_apps_calendar_is_read_by_its_summaries():
    athlete = AthleteFactory(time_zone="Europe/Berlin")
    content = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:City Half Marathon\r\n"
        b"DTSTART;VALUE=DATE:20270411\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:Track intervals\r\n"
        b"DTSTART;TZID=Europe/Berlin:20270406T183000\r\nDURATION:PT1H\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:c\r\nSUMMARY:Dentist\r\nDTSTART:20270407T090000\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    runs, skipped = ical.ics_parse(content, athlete.tz)
    race, intervals = runs
    assert (race.kind, race.distance_m, race.start.time()) == ("race", 21_097, dt.time(9))
    assert (intervals.kind, intervals.is_key, intervals.duration_minutes) == ("interval", True, 60)
    assert skipped == ["Dentist: not a race or run"]


# -- bad files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a calendar",
        b"\xff\xfe\x00garbage\x00",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Race\r\n",
        b"",
    ],
)
def test_a_file_that_is_not_a_calendar_gets_a_message_not_a_500(client, athlete, content):
    client.force_login(athlete.user)
    response = upload(client, reverse("athletes:run-event-import"), content)
    assert response.status_code == 422
    page = response.content.decode()
    assert "not a readable iCalendar" in page or "The submitted file is empty" in page
    assert not RunEvent.objects.exists()


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ("UID:race-1@club\r\nSUMMARY:Club 10K\x00 race\r\n", "SUMMARY"),
        ("UID:race-1\x00@club\r\nSUMMARY:Club 10K race\r\n", "UID"),
        ("UID:race-1@club\r\nSUMMARY:Club 10K race\r\nX-COACH-NAME:Club\x00\r\n", "X-COACH-NAME"),
    ],
)
def test_a_null_character_in_an_events_text_is_refused_naming_the_event(
    client, athlete, lines, field
):
    client.force_login(athlete.user)
    url = reverse("athletes:run-event-import")
    content = one_calendar(f"{lines}DTSTART:20261205T100000Z\r\n")

    preview = upload(client, url, content)
    confirmed = client.post(url, {"confirm": "1"}, follow=True)

    assert preview.status_code == 422
    assert f"Club 10K race on Sat 5 Dec 2026: its {field} holds a null character" in (
        preview.content.decode()
    )
    assert confirmed.status_code == 200 and "That preview has expired" in confirmed.text
    assert not RunEvent.objects.exists()


def test_an_event_with_an_unreadable_date_is_left_out_with_a_reason(athlete):
    content = one_calendar("UID:x\r\nSUMMARY:Parkrun\r\nDTSTART:2026xx\r\n")
    runs, skipped = ical.ics_parse(content, athlete.tz)
    assert runs == []
    assert skipped == ["Parkrun: its date can't be read"]


def test_an_event_in_year_9999_is_left_out_so_the_feed_keeps_working(client, athlete):
    content = one_calendar(
        "UID:far\r\nSUMMARY:Parkrun\r\nDTSTART:99991231T235900Z\r\nDURATION:PT23H\r\n"
    )
    runs, skipped = ical.ics_parse(content, athlete.tz)
    assert runs == []
    assert skipped == ["Parkrun: its date, 9999-12-31, is too far off"]


def test_a_uid_like_ours_with_a_huge_number_imports_as_new(athlete):
    content = one_calendar(
        "UID:run-99999999999999999999@coach\r\nSUMMARY:Parkrun\r\nDTSTART:20261128T090000Z\r\n"
    )
    runs, _ = ical.ics_parse(content, athlete.tz)
    preview = ical.ics_import_preview(athlete=athlete, runs=runs, skipped=[])
    assert len(preview.new) == 1


def test_an_absurd_distance_or_a_repeated_title_imports_sensibly(athlete):
    content = one_calendar(
        "UID:odd\r\nSUMMARY:Parkrun\r\nSUMMARY:Parkrun again\r\n"
        "X-COACH-DISTANCE:99999999999999999999\r\nDTSTART:20261128T090000Z\r\n"
    )
    runs, _ = ical.ics_parse(content, athlete.tz)
    assert (runs[0].name, runs[0].distance_m) == ("Parkrun", None)


def test_a_distance_in_superscript_digits_imports_without_one(athlete):
    content = one_calendar(
        "UID:odd\r\nSUMMARY:Parkrun\r\nX-COACH-DISTANCE:5²\r\nDTSTART:20261128T090000Z\r\n"
    )
    runs, _ = ical.ics_parse(content, athlete.tz)
    assert (runs[0].name, runs[0].distance_m) == ("Parkrun", None)


def test_an_easy_run_declared_key_imports_as_an_easy_run_that_is_not_key(athlete):
    content = one_calendar(
        "UID:e\r\nSUMMARY:Easy run\r\nX-COACH-KIND:easy\r\nX-COACH-KEY:TRUE\r\n"
        "DTSTART:20261128T090000Z\r\n"
    )
    runs, _ = ical.ics_parse(content, athlete.tz)
    assert (runs[0].kind, runs[0].is_key) == ("easy", False)


LONDON = ZoneInfo("Europe/London")


def weekly_track(moved_to="20270120T183000"):
    """Track every Tuesday 18:30 from 1 Dec 2026, without end; 12 Jan cancelled, 19 Jan moved."""
    return one_calendar(
        "UID:track@club\r\nSUMMARY:Track intervals\r\n"
        "DTSTART;TZID=Europe/London:20261201T183000\r\nDURATION:PT1H\r\n"
        "RRULE:FREQ=WEEKLY;BYDAY=TU\r\nEXDATE;TZID=Europe/London:20270112T183000\r\n",
        "UID:track@club\r\nSUMMARY:Track intervals\r\n"
        "RECURRENCE-ID;TZID=Europe/London:20270119T183000\r\n"
        f"DTSTART;TZID=Europe/London:{moved_to}\r\nDURATION:PT1H\r\n",
    )


def test_a_weekly_session_imports_as_a_season_of_runs_less_the_cancelled_one_with_the_moved_one():
    today = dt.date(2027, 1, 4)
    runs, skipped = ical.ics_parse(weekly_track(), LONDON, today=today)

    tuesdays = [dt.date(2026, 12, 22) + dt.timedelta(weeks=n) for n in range(55)]
    assert tuesdays[-1] == today + dt.timedelta(days=365)  # a year ahead, through summer time
    expected = [
        dt.date(2027, 1, 20) if day == dt.date(2027, 1, 19) else day
        for day in tuesdays
        if day != dt.date(2027, 1, 12)
    ]
    assert [run.start.astimezone(LONDON).date() for run in runs] == expected
    assert {run.start.astimezone(LONDON).time() for run in runs} == {dt.time(18, 30)}
    assert {(run.kind, run.is_key, run.duration_minutes) for run in runs} == {
        ("interval", True, 60)
    }
    assert len({run.uid for run in runs}) == len(runs) and skipped == []


def test_reimporting_a_weekly_session_matches_each_occurrence_and_updates_the_moved_one():
    athlete = AthleteFactory(time_zone="Europe/London")
    today = dt.date(2027, 1, 4)
    runs, _ = ical.ics_parse(weekly_track(), athlete.tz, today=today)
    assert ical.ics_import_apply(athlete=athlete, runs=runs) == (54, 0)

    again, _ = ical.ics_parse(weekly_track(), athlete.tz, today=today)
    assert ical.ics_import_apply(athlete=athlete, runs=again) == (0, 0)
    moved_again, _ = ical.ics_parse(
        weekly_track(moved_to="20270121T180000"), athlete.tz, today=today
    )
    assert ical.ics_import_apply(athlete=athlete, runs=moved_again) == (0, 1)
    assert RunEvent.objects.filter(athlete=athlete).count() == 54
    assert RunEvent.objects.filter(
        starts_at=dt.datetime(2027, 1, 21, 18, tzinfo=LONDON), kind="interval"
    ).exists()


def test_an_endless_rule_repeating_every_second_is_refused_quickly():
    content = one_calendar(
        "UID:spam\r\nSUMMARY:Easy run\r\nDTSTART:20270104T090000Z\r\nRRULE:FREQ=SECONDLY\r\n"
    )
    with pytest.raises(ValidationError, match="repeats more than once a day"):
        ical.ics_parse(content, LONDON, today=dt.date(2027, 1, 4))


def test_a_repeat_rule_that_cannot_be_read_is_a_message_not_a_500(client, athlete):
    client.force_login(athlete.user)
    content = one_calendar(
        "UID:odd\r\nSUMMARY:Long run\r\nDTSTART:20270104T090000Z\r\nRRULE:FREQ=SOMETIMES\r\n"
    )
    response = upload(client, reverse("athletes:run-event-import"), content)
    assert response.status_code == 422
    assert "repeating events can" in response.content.decode()
    assert not RunEvent.objects.exists()


def test_calendar_apps_may_check_the_feed_with_head(client, athlete):
    url = reverse("athletes:calendar-feed", args=[athlete.feed_token])
    assert client.head(url).status_code == 200


def test_a_file_over_one_megabyte_is_refused(client, athlete):
    client.force_login(athlete.user)
    big = b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"a" * (1024 * 1024) + b"\r\nEND:VCALENDAR\r\n"
    response = upload(client, reverse("athletes:run-event-import"), big)
    assert response.status_code == 422
    assert "larger than 1 MB" in response.content.decode()


def test_a_confirm_without_a_preview_imports_nothing(client, athlete):
    client.force_login(athlete.user)
    response = client.post(reverse("athletes:run-event-import"), {"confirm": "1"})
    assert response.status_code == 302
    assert not RunEvent.objects.exists()


def test_feed_times_keep_the_athletes_wall_clock_on_both_sides_of_a_dst_change():
    athlete = AthleteFactory(time_zone="America/New_York")
    for day in (dt.date(2027, 3, 13), dt.date(2027, 3, 15)):  # clocks change on the 14th
        run_event_create(
            athlete=athlete,
            kind="easy",
            name="Easy",
            starts_at=dt.datetime.combine(day, dt.time(18), tzinfo=athlete.tz),
        )
    exported = ical.feed_ics(athlete, [], athlete.run_events.all())
    assert b"BEGIN:VTIMEZONE" in exported and b"TZID=America/New_York" in exported

    runs, _ = ical.ics_parse(exported, ZoneInfo("Europe/London"))

    assert [r.start.astimezone(athlete.tz).time() for r in runs] == [dt.time(18)] * 2
    assert [r.start.utcoffset() for r in runs] == [dt.timedelta(0)] * 2


def test_a_repeating_entry_without_an_end_lasts_as_long_as_a_single_one_does():
    content = one_calendar(
        "UID:tempo@club\r\nSUMMARY:Tempo\r\nDTSTART;TZID=Europe/London:20261201T070000\r\n"
        "RRULE:FREQ=WEEKLY;UNTIL=20270201T000000Z\r\n",
        "UID:race@club\r\nSUMMARY:Club 10K race\r\nDTSTART:20270110T090000Z\r\n",
    )
    runs, _ = ical.ics_parse(content, LONDON, today=dt.date(2027, 1, 4))
    assert {run.duration_minutes for run in runs} == {ical.DEFAULT_MINUTES}
    assert len(runs) == 1 + 6  # 22 Dec to 26 Jan: UNTIL (in UTC) ends the series


def test_moved_occurrences_without_their_series_each_import_under_their_occurrence_uid(athlete):
    moved = (
        "UID:track@club\r\nSUMMARY:Track intervals\r\n"
        "RECURRENCE-ID;TZID=Europe/London:{scheduled}\r\n"
        "DTSTART;TZID=Europe/London:{moved}\r\nDURATION:PT1H\r\n"
    )
    content = one_calendar(
        moved.format(scheduled="20270119T183000", moved="20270120T183000"),
        moved.format(scheduled="20270126T183000", moved="20270127T183000"),
    )
    today = dt.date(2027, 1, 4)
    runs, skipped = ical.ics_parse(content, LONDON, today=today)
    assert skipped == []
    assert [run.uid for run in runs] == [
        "track@club/20270119T183000Z",
        "track@club/20270126T183000Z",
    ]

    # The whole series arriving later matches them instead of adding them twice.
    ical.ics_import_apply(athlete=athlete, runs=runs)
    series, _ = ical.ics_parse(weekly_track(), LONDON, today=today)
    preview = ical.ics_import_preview(athlete=athlete, runs=series, skipped=[])
    assert len(preview.new) == 52 and len(preview.unchanged) + len(preview.changed) == 2


def test_a_repeating_entry_without_a_uid_is_still_each_of_its_occurrences():
    content = one_calendar(
        "SUMMARY:Long run\r\nDTSTART;TZID=Europe/London:20261205T083000\r\n"
        "DURATION:PT90M\r\nRRULE:FREQ=WEEKLY;COUNT=10\r\n"
    )
    today = dt.date(2027, 1, 4)
    runs, _ = ical.ics_parse(content, LONDON, today=today)
    again, _ = ical.ics_parse(content, LONDON, today=today)

    assert [run.start.date() for run in runs] == [
        dt.date(2026, 12, 26) + dt.timedelta(weeks=n) for n in range(7)
    ]
    assert len({run.uid for run in runs}) == 7
    assert [run.uid for run in runs] == [run.uid for run in again]


def test_occurrences_moved_this_and_future_are_each_imported():
    content = one_calendar(
        "UID:track@club\r\nSUMMARY:Track\r\nDTSTART:20261201T183000Z\r\nDURATION:PT1H\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=8\r\n",
        "UID:track@club\r\nSUMMARY:Track\r\nRECURRENCE-ID;RANGE=THISANDFUTURE:20261229T183000Z\r\n"
        "DTSTART:20261230T190000Z\r\nDURATION:PT1H\r\n",
    )
    runs, skipped = ical.ics_parse(content, LONDON, today=dt.date(2027, 1, 4))
    assert skipped == []
    assert [run.start.date().isoformat() for run in runs] == [
        "2026-12-22",
        "2026-12-30",
        "2027-01-06",
        "2027-01-13",
        "2027-01-20",
    ]
    assert runs[-1].uid == "track@club/20270119T183000Z"


def test_series_begun_long_ago_are_read_quickly():
    """A weekly club session since 2000 and a daily run since 1950: each rule is walked from
    its first date once, not once per slice of the year ahead. (Reading is held to a CPU
    budget, so a slow walk would be refused, not read; timings: benchmarks/bench_ics_import.py.)"""
    weekly = [
        f"UID:club-{n}\r\nSUMMARY:Easy run\r\nDTSTART:20000103T0{n % 10}0000Z\r\n"
        "DURATION:PT45M\r\nRRULE:FREQ=MONTHLY;BYDAY=1MO\r\n"
        for n in range(40)
    ]
    daily = "UID:streak\r\nSUMMARY:Easy run\r\nDTSTART:19500101T060000Z\r\nRRULE:FREQ=DAILY\r\n"
    runs, _ = ical.ics_parse(one_calendar(*weekly, daily), LONDON, today=dt.date(2027, 1, 4))
    assert len(runs) == 40 * 13 + 380  # 380 days: two weeks back, a year ahead


def test_many_weekly_series_are_refused_quickly_for_their_count():
    weekly = [
        f"UID:club-{n}\r\nSUMMARY:Easy run\r\nDTSTART:20100104T070000Z\r\nRRULE:FREQ=WEEKLY\r\n"
        for n in range(200)
    ]
    with pytest.raises(ValidationError, match="more than 1000 events"):
        ical.ics_parse(one_calendar(*weekly), LONDON, today=dt.date(2027, 1, 4))


def test_an_hourly_rule_from_long_ago_is_refused_quickly_with_a_reason():
    content = one_calendar(
        "UID:h\r\nSUMMARY:Easy run\r\nDTSTART:19800101T000000Z\r\nRRULE:FREQ=HOURLY\r\n"
    )
    with pytest.raises(ValidationError, match="repeats more than once a day"):
        ical.ics_parse(content, LONDON, today=dt.date(2027, 1, 4))


def test_a_season_imported_then_reimported_from_our_own_feed_duplicates_nothing():
    athlete = AthleteFactory(time_zone="Europe/London")
    runs, _ = ical.ics_parse(weekly_track(), athlete.tz, today=timezone.localdate())
    created, _ = ical.ics_import_apply(athlete=athlete, runs=runs)

    exported = ical.feed_ics(athlete, [], athlete.run_events.all())
    again, _ = ical.ics_parse(exported, athlete.tz)

    assert created and ical.ics_import_apply(athlete=athlete, runs=again) == (0, 0)
    assert athlete.run_events.count() == created


# -- files built to make the parser work ----------------------------------------------------


@pytest.mark.parametrize("name", sorted(HOSTILE_CALENDARS))
def test_a_file_built_to_make_the_parser_work_is_refused_with_a_reason_or_read(
    client, athlete, name
):
    build, refusal = HOSTILE_CALENDARS[name]
    client.force_login(athlete.user)

    response = upload(client, reverse("athletes:run-event-import"), build())

    if refusal is None:
        assert response.status_code == 200 and "Preview" in response.content.decode()
    else:
        assert response.status_code == 422
        assert refusal in response.content.decode()
    assert not RunEvent.objects.exists()


PAST_THE_COUNTS = sorted(
    name
    for name, (_, refusal) in HOSTILE_CALENDARS.items()
    if refusal and not refusal.startswith("The file takes too long")
)


@pytest.mark.parametrize("name", PAST_THE_COUNTS)
def test_a_file_past_the_counts_is_refused_by_the_line_scan_before_any_parsing(name):
    build, refusal = HOSTILE_CALENDARS[name]
    with pytest.raises(ValidationError, match=re.escape(refusal)):
        ical._readable_lines(build())


@pytest.mark.parametrize(
    "lines",
    [
        "DTSTART;TZID=Europe/London:19990328T073000\r\nRRULE:FREQ=DAILY;INTERVAL=3\r\n",
        "DTSTART:19950103T180000Z\r\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH\r\n",
        "DTSTART;TZID=Europe/London:19870105T183000\r\nRRULE:FREQ=WEEKLY\r\n"
        "EXDATE;TZID=Europe/London:20270111T183000\r\n",
        "DTSTART;VALUE=DATE:19900106\r\nRRULE:FREQ=WEEKLY;UNTIL=20270301\r\n",
        "DTSTART:20000103T070000Z\r\nDTEND:20000103T080000Z\r\nRRULE:FREQ=MONTHLY;BYDAY=1MO\r\n",
        "DTSTART;TZID=Europe/London:19990131T080000\r\nRRULE:FREQ=MONTHLY\r\n",
        "DTSTART:19981015T070000Z\r\nRRULE:FREQ=MONTHLY;INTERVAL=5\r\n",
        "DTSTART:19800330T090000Z\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n",
        "DTSTART:19960229T090000Z\r\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1,29\r\n",
        "DTSTART:19500101T060000Z\r\nRRULE:FREQ=DAILY;COUNT=30000\r\n",
    ],
)
def test_a_series_begun_long_ago_imports_the_occurrences_the_calendar_library_gives(lines):
    """The import walks an old series from shortly before the window read, not from its first
    date: what it imports is what the library reads from the file as it is."""
    today = dt.date(2027, 1, 4)
    content = one_calendar(f"UID:old@club\r\nSUMMARY:Easy run\r\n{lines}")
    window_start = dt.datetime.combine(
        today - dt.timedelta(days=ical.REPEATS_FROM_DAYS_BACK), dt.time(), tzinfo=LONDON
    )
    window_end = window_start + dt.timedelta(
        days=ical.REPEATS_FROM_DAYS_BACK + ical.REPEATS_UNTIL_DAYS_AHEAD
    )
    library = recurring_ical_events.of(Calendar.from_ical(content)).between(
        window_start, window_end
    )

    runs, _ = ical.ics_parse(content, LONDON, today=today)

    def local(start):
        if not isinstance(start, dt.datetime):
            return dt.datetime.combine(start, ical.ALL_DAY_START)
        return start.astimezone(LONDON).replace(tzinfo=None)

    expected = sorted(local(o.decoded("dtstart")) for o in library)
    assert expected, "the series has occurrences in the window"
    assert [local(run.start) for run in runs] == expected


# -- race priorities ------------------------------------------------------------------------

TEN_K = "Priority of Club 10K race on Sat 5 Dec 2026"
CLUB_RACES = one_calendar(
    "UID:10k@club\r\nSUMMARY:Club 10K race\r\nDTSTART:20261205T100000Z\r\n",
    "UID:xc@club\r\nSUMMARY:County XC championship\r\nDTSTART:20261212T110000Z\r\n",
    "UID:tempo@club\r\nSUMMARY:Tempo\r\nDTSTART:20261208T180000Z\r\n",
)


def priority_field(page: str, label: str) -> str:
    """The name of the priority select labelled `label` on the preview page."""
    match = re.search(
        rf'<label for="id_([\w-]+)"><span class="visually-hidden">{re.escape(label)}</span>', page
    )
    assert match, f"no select labelled {label!r}"
    return match.group(1)


def selected(page: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.DOTALL).group()
    return re.search(r'<option value="(\w)" selected>', select).group(1)


def confirmed_as_shown(page: str, **chosen) -> dict:
    """The confirm as the browser posts it: every priority select as shown, but `chosen`."""
    names = re.findall(r'<select name="(priority-\d+)"', page)
    return {"confirm": "1", **{name: selected(page, name) for name in names}, **chosen}


def test_the_coach_picks_each_imported_races_priority_in_the_preview(client, athlete, coach_user):
    client.force_login(coach_user)
    url = reverse("athletes:athlete-run-event-import", args=[athlete.pk])

    page = upload(client, url, CLUB_RACES).content.decode()
    ten_k = priority_field(page, TEN_K)
    county = priority_field(page, "Priority of County XC championship on Sat 12 Dec 2026")
    assert selected(page, ten_k) == selected(page, county) == "B"  # as the file names none
    assert "Priority of Tempo" not in page  # only races have one
    client.post(url, confirmed_as_shown(page, **{ten_k: "A", county: "C"}))

    priorities = dict(athlete.run_events.values_list("name", "priority"))
    assert priorities == {"Club 10K race": "A", "County XC championship": "C", "Tempo": ""}


def test_a_reimport_keeps_the_priority_the_coach_gave_the_race_since(client, athlete, coach_user):
    """Decided: a file that names no priority never changes one a race has here, whether it was
    picked in the preview or on the race's edit page later; a file that names one (our own
    feed's X-COACH-PRIORITY) is followed."""
    client.force_login(coach_user)
    url = reverse("athletes:athlete-run-event-import", args=[athlete.pk])
    page = upload(client, url, CLUB_RACES).content.decode()
    client.post(url, confirmed_as_shown(page, **{priority_field(page, TEN_K): "A"}))
    race = athlete.run_events.get(name="Club 10K race")
    edit = client.post(
        reverse("athletes:run-event-edit", args=[race.pk]),
        {"kind": "race", "name": race.name, "date": "2026-12-05", "start_time": "10:00",
         "duration_minutes": 45, "distance_km": "10", "priority": "C"},
    )  # fmt: skip
    assert edit.status_code == 302

    again = upload(client, url, CLUB_RACES).content.decode()
    moved = upload(client, url, CLUB_RACES.replace(b"20261205T1000", b"20261205T1030")).content

    assert "0 new, 0 changed, 3 already here" in again
    page = moved.decode()
    assert "0 new, 1 changed" in page
    assert selected(page, priority_field(page, TEN_K)) == "C"
    client.post(url, confirmed_as_shown(page))
    race.refresh_from_db()
    assert (race.priority, race.starts_at.minute) == ("C", 30)

    ours = CLUB_RACES.replace(b"UID:10k@club\r\n", b"UID:10k@club\r\nX-COACH-PRIORITY:A\r\n")
    assert "0 new, 1 changed" in upload(client, url, ours).content.decode()


# The flags are re-checked once the import commits, before the redirect: committed here.
@pytest.mark.django_db(transaction=True)
def test_the_calendar_an_import_lands_on_already_shows_the_imported_races_conflict(
    client, athlete, coach_user
):
    ScheduledSessionFactory(athlete=athlete, date=soon(), time_of_day=dt.time(18))
    race_start = at(athlete, 1, 9).astimezone(dt.UTC)
    race = one_calendar(
        f"UID:10k@club\r\nSUMMARY:Club 10K race\r\nDTSTART:{race_start:%Y%m%dT%H%M%SZ}\r\n"
    )
    client.force_login(coach_user)
    url = reverse("athletes:athlete-run-event-import", args=[athlete.pk])
    page = upload(client, url, race).content.decode()

    response = client.post(url, confirmed_as_shown(page), follow=True)

    assert response.status_code == 200
    assert "Conflict" in response.content.decode()


def test_a_priority_that_is_not_a_b_or_c_imports_nothing(client, athlete):
    client.force_login(athlete.user)
    url = reverse("athletes:run-event-import")
    page = upload(client, url, CLUB_RACES).content.decode()
    ten_k = priority_field(page, TEN_K)

    response = client.post(url, confirmed_as_shown(page, **{ten_k: "Z"}))

    assert response.status_code == 400
    assert "Nothing was imported: give each race a priority" in response.content.decode()
    assert not RunEvent.objects.exists()
