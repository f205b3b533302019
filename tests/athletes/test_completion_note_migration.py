"""athletes 0014: every completion note becomes the first comment of its session's thread, by
the athlete, at the time the session was completed; nothing is lost, and back again."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.athletes.factories import ScheduledSessionFactory
from tests.migrating import migrate

BEFORE = [("athletes", "0011_idempotency_keys")]
AFTER = [("athletes", "0014_conversation_threads")]
COMPLETED_AT = dt.datetime(2026, 11, 3, 18, 40, tzinfo=dt.UTC)


@pytest.mark.django_db(transaction=True)
def test_completion_notes_become_first_comments_and_come_back_on_the_way_down():
    noted = ScheduledSessionFactory(name="Day A", status="completed", session_rpe=7,
                                    completed_at=COMPLETED_AT)  # fmt: skip
    ScheduledSessionFactory(athlete=noted.athlete, name="Day B")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE)
        old.get_model("athletes", "ScheduledSession").objects.filter(pk=noted.pk).update(
            notes="Knee a bit sore\nbut fine"
        )

        new = migrate(AFTER)
        (comment,) = new.get_model("athletes", "Comment").objects.all()
        assert comment.thread.scheduled_session_id == noted.pk
        assert comment.thread.athlete_id == noted.athlete_id
        assert (comment.author_id, comment.body, comment.created_at) == (
            noted.athlete.user_id, "Knee a bit sore\nbut fine", COMPLETED_AT
        )  # fmt: skip
        assert new.get_model("athletes", "Thread").objects.count() == 1

        back = migrate(BEFORE)
        sessions = back.get_model("athletes", "ScheduledSession").objects
        assert dict(sessions.values_list("name", "notes")) == {
            "Day A": "Knee a bit sore\nbut fine",
            "Day B": "",
        }
    finally:
        migrate(latest)
