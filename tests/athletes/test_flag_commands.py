"""manage.py flag_sessions runs the flag check now."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from athletes.models import Flag
from tests.athletes.factories import AthleteFactory, RaceFactory, ScheduledSessionFactory

pytestmark = pytest.mark.django_db


def athlete_with_a_conflict():
    athlete = AthleteFactory(user__password=None, coach__password=None, time_zone="Europe/London")
    race_day = timezone.localdate() + dt.timedelta(days=5)
    RaceFactory(
        athlete=athlete,
        priority="B",
        starts_at=dt.datetime.combine(race_day, dt.time(9), tzinfo=ZoneInfo("Europe/London")),
    )
    ScheduledSessionFactory(
        athlete=athlete, date=race_day - dt.timedelta(days=1), time_of_day=dt.time(18)
    )
    return athlete


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_flag_sessions_checks_every_athlete_now():
    athlete_with_a_conflict()
    athlete_with_a_conflict()

    assert run("flag_sessions") == "Checked 2 athletes: 2 raised, 0 updated, 0 resolved; 2 open.\n"
    assert run("flag_sessions") == "Checked 2 athletes: 0 raised, 0 updated, 0 resolved; 2 open.\n"


def test_flag_sessions_with_an_athlete_checks_only_that_one():
    first, second = athlete_with_a_conflict(), athlete_with_a_conflict()

    output = run("flag_sessions", "--athlete", str(second.pk))

    assert output == "Checked 1 athlete: 1 raised, 0 updated, 0 resolved; 1 open.\n"
    assert list(Flag.objects.values_list("athlete", flat=True)) == [second.pk]
    assert not first.flags.exists()


def test_flag_sessions_with_an_unknown_athlete_says_so():
    with pytest.raises(CommandError, match="No athlete with id 999999"):
        run("flag_sessions", "--athlete", "999999")
