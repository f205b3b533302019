"""athletes 0017 and 0018: every run's note becomes a comment by the athlete, at the time the
run was recorded, in the planned run's thread (or the unplanned run's own); nothing is lost,
and back again."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.athletes.factories import AthleteFactory, RunEventFactory
from tests.migrating import migrate

BEFORE = [("athletes", "0016_one_rep_max")]
AFTER = [("athletes", "0018_run_notes_to_comments")]
TUESDAY = dt.datetime(2026, 3, 10, 7, 0, tzinfo=dt.UTC)
RECORDED_AT = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


@pytest.mark.django_db(transaction=True)
def test_run_notes_become_comments_in_the_right_thread_and_come_back_on_the_way_down():
    athlete = AthleteFactory()
    planned = RunEventFactory(athlete=athlete, name="Tuesday easy", starts_at=TUESDAY)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE)
        RunDone = old.get_model("athletes", "RunDone")
        run = {"athlete_id": athlete.pk, "elapsed_seconds": 1800, "moving_seconds": 1800,
               "source": "manual"}  # fmt: skip
        as_planned = RunDone.objects.create(
            **run, run_event_id=planned.pk, started_at=TUESDAY, note="Calves tight\nall week"
        )
        unplanned = RunDone.objects.create(
            **run, started_at=TUESDAY + dt.timedelta(days=1), note="Extra shakeout"
        )
        quiet = RunDone.objects.create(**run, started_at=TUESDAY + dt.timedelta(days=2), note="")
        RunDone.objects.update(created_at=RECORDED_AT)

        new = migrate(AFTER)
        Comment = new.get_model("athletes", "Comment")
        by_run = {
            (c.thread.run_event_id, c.thread.run_done_id): c
            for c in Comment.objects.select_related("thread")
        }
        assert set(by_run) == {(planned.pk, None), (None, unplanned.pk)}
        for comment in by_run.values():
            assert (comment.author_id, comment.created_at) == (athlete.user_id, RECORDED_AT)
            assert comment.thread.athlete_id == athlete.pk
        assert by_run[planned.pk, None].body == "Calves tight\nall week"
        assert by_run[None, unplanned.pk].body == "Extra shakeout"
        assert new.get_model("athletes", "Thread").objects.count() == 2
        assert "note" not in {f.name for f in new.get_model("athletes", "RunDone")._meta.fields}

        back = migrate(BEFORE)
        notes = back.get_model("athletes", "RunDone").objects.order_by("started_at")
        assert list(notes.values_list("pk", "note")) == [
            (as_planned.pk, "Calves tight\nall week"),
            (unplanned.pk, "Extra shakeout"),
            (quiet.pk, ""),
        ]
        assert back.get_model("athletes", "Thread").objects.count() == 1  # the planned run's
    finally:
        migrate(latest)
