"""The periodic scan is recorded as finished once its every chunk is done (what /healthz's
last_flag_scan_age_seconds reads): chunks run twice or late, and old scans, change nothing."""

import datetime as dt

import pytest
import time_machine

from athletes.models import FlagScan
from athletes.selectors.flags import flag_scan_last_finished_at
from athletes.services import flagging
from tests.athletes.factories import AthleteFactory

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)

pytestmark = pytest.mark.django_db


def run_chunk(athlete, scan, at):
    with time_machine.travel(at, tick=False):
        return flagging.flags_scan_chunk(athlete.pk, athlete.pk, scan_id=scan.pk)


def test_a_scan_is_finished_when_its_last_chunk_is_done_and_a_repeated_chunk_counts_once():
    first, second = AthleteFactory(), AthleteFactory()
    scan = flagging.flag_scan_start(2, now=T0)

    run_chunk(first, scan, T0 + MINUTE)
    run_chunk(first, scan, T0 + 2 * MINUTE)  # redelivered after its worker died
    assert flag_scan_last_finished_at() is None

    run_chunk(second, scan, T0 + 3 * MINUTE)
    assert flag_scan_last_finished_at() == T0 + 3 * MINUTE


def test_a_chunk_whose_athletes_are_gone_still_counts_as_done():
    scan = flagging.flag_scan_start(1, now=T0)
    no_one = AthleteFactory().pk + 1000  # deleted between the fan-out and the chunk

    with time_machine.travel(T0 + MINUTE, tick=False):
        result = flagging.flags_scan_chunk(no_one, no_one, scan_id=scan.pk)

    assert result.athletes == 0
    assert flag_scan_last_finished_at() == T0 + MINUTE


def test_a_scan_of_no_athletes_is_finished_at_once():
    flagging.flag_scan_start(0, now=T0)

    assert flag_scan_last_finished_at() == T0


def test_a_late_chunk_of_a_scan_overtaken_by_a_finished_one_is_harmless():
    athlete = AthleteFactory()
    stuck = flagging.flag_scan_start(2, now=T0)
    run_chunk(athlete, stuck, T0 + MINUTE)  # its other chunk is lost
    flagging.flag_scan_start(0, now=T0 + 15 * MINUTE)
    flagging.flag_scan_start(0, now=T0 + 30 * MINUTE)  # forgets the scans before the last one

    result = run_chunk(athlete, stuck, T0 + 31 * MINUTE)

    assert result.athletes == 1
    assert flag_scan_last_finished_at() == T0 + 30 * MINUTE
    assert FlagScan.objects.count() == 2


def test_rechecks_and_the_command_s_scan_are_not_the_periodic_scan():
    athlete = AthleteFactory()

    flagging.flags_refresh_for_athlete(athlete.pk)
    flagging.flags_scan_all()

    assert not FlagScan.objects.exists()
