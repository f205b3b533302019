"""Each reader of watch files, on files the tests write: FIT (fit-tool), GPX and TCX."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from fit_tool.profile.profile_type import Sport

from athletes.services import activity_files
from athletes.services.activity_files import MAX_ACTIVITY_BYTES, activity_read
from tests.athletes.activity_files import (
    START,
    fit_activity,
    fit_monitoring,
    gpx_activity,
    tcx_activity,
)

FIVE_K = (240, 242, 238, 244, 256)  # the hand-worked 5 × 1 km


def refusal(data) -> str:
    with pytest.raises(ValidationError) as caught:
        activity_read(data)
    return " ".join(caught.value.messages)


def test_a_fit_run_with_heart_rate_gives_its_summary_and_splits():
    run = activity_read(fit_activity(km_seconds=FIVE_K, heart_rate=162))
    assert (run.source, run.sport, run.started_at) == ("fit", "running", START)
    assert (run.elapsed_seconds, run.moving_seconds, run.distance_m) == (1220, 1220, 5000)
    assert run.average_heart_rate == 162
    assert [s["s"] for s in run.splits] == [240, 242, 238, 244, 256]
    assert run.started_at.tzinfo is not None


def test_a_fit_run_without_heart_rate_has_none():
    run = activity_read(fit_activity(heart_rate=None))
    assert run.average_heart_rate is None
    assert run.distance_m == 3000


def test_a_gpx_run_reads_distance_from_the_points_and_heart_rate_from_extensions():
    run = activity_read(gpx_activity(km_seconds=(300, 300), heart_rate=141))
    assert (run.source, run.sport, run.started_at) == ("gpx", "running", START)
    assert run.elapsed_seconds == 600
    assert 1990 <= run.distance_m <= 2010  # measured over the earth from the coordinates
    assert run.average_heart_rate == 141
    assert [s["m"] for s in run.splits][:2] == [1000, 1000]


def test_a_tcx_run_with_and_without_heart_rate():
    run = activity_read(tcx_activity(km_seconds=(280, 290), heart_rate=170))
    assert (run.source, run.distance_m, run.elapsed_seconds) == ("tcx", 2000, 570)
    assert run.average_heart_rate == 170
    assert run.splits == [{"m": 1000, "s": 280.0}, {"m": 1000, "s": 290.0}]
    assert activity_read(tcx_activity()).average_heart_rate is None


@pytest.mark.parametrize(
    "data",
    [
        fit_activity(sport=Sport.CYCLING),
        gpx_activity(kind="cycling"),
        tcx_activity(sport="Biking"),
    ],
    ids=["fit", "gpx", "tcx"],
)
def test_a_bike_ride_is_not_a_run(data):
    assert "not a run" in refusal(data)


def test_a_monitoring_file_is_not_an_activity():
    assert "monitoring b file, not an activity" in refusal(fit_monitoring())


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (fit_activity()[:900], "cut short or damaged"),
        (gpx_activity()[:500], "cut short or damaged"),
        (tcx_activity()[:500], "cut short or damaged"),
    ],
    ids=["fit", "gpx", "tcx"],
)
def test_a_truncated_file_is_refused(data, words):
    assert words in refusal(data)


def test_a_gpx_without_times_is_a_route_not_a_run():
    assert "no times" in refusal(gpx_activity(times=False))


def test_an_empty_track_has_no_run():
    empty = b'<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg></trkseg></trk></gpx>'
    assert "no track points" in refusal(empty)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04" + b"\x00" * 100, "compressed archive"),
        (b"\x1f\x8b\x08" + b"\x00" * 100, "compressed archive"),
        (b"hello, this is not a watch file", "not a FIT, GPX or TCX"),
        (b"   ", "empty"),
        (
            b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]><gpx>&a;</gpx>',
            "document type",
        ),
    ],
    ids=["zip", "gzip", "junk", "blank", "entities"],
)
def test_archives_junk_and_entity_tricks_are_refused(data, words):
    assert words in refusal(data)


def _padded_to(data: bytes, size: int) -> bytes:
    """The file grown to `size` bytes with XML comments before its end, still valid."""
    head, tail = data.rsplit(b"</gpx>", 1)
    room = size - len(data)
    comment = b"<!--" + b" " * 992 + b"-->\n"  # 1000 bytes
    whole, rest = divmod(room, len(comment))
    return head + comment * whole + b" " * rest + b"</gpx>" + tail


def test_a_file_at_the_size_limit_is_read_and_one_byte_over_is_refused():
    at_limit = _padded_to(gpx_activity(), MAX_ACTIVITY_BYTES)
    assert len(at_limit) == MAX_ACTIVITY_BYTES
    assert activity_read(at_limit).elapsed_seconds == 900
    assert "larger than 20 MB" in refusal(at_limit + b" ")


def test_reading_is_bounded_in_processor_time(monkeypatch):
    monkeypatch.setattr(activity_files, "READ_CPU_SECONDS", 0.01)
    long_run = gpx_activity(km_seconds=(300,) * 40, every=1)  # 12,000 points
    assert "takes too long" in refusal(long_run)


def test_the_same_activity_from_two_formats_has_the_same_key():
    assert activity_read(fit_activity()).key == activity_read(tcx_activity()).key
    assert activity_read(fit_activity()).key[0] == START.astimezone(dt.UTC)
