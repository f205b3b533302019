"""set_log_record and the session's complete / skip / reopen: what the athlete and coach notice."""

import threading
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from athletes.models import Comment, ScheduledSession, SetLog
from athletes.rules.strength import Load
from athletes.services.logging import (
    session_complete,
    session_reopen,
    session_skip,
    set_log_record,
)
from tests.athletes.factories import AthleteFactory
from tests.athletes.logging_sessions import prescription_of, session_for

pytestmark = pytest.mark.django_db


def kg(amount):
    return Load(Decimal(amount), "kg")


def record(athlete, session, exercise_name="Back squat", **fields):
    values = {
        "set_id": uuid.uuid4(),
        "set_number": 1,
        "side": "",
        "reps": 5,
        "load": kg("60"),
    }
    values.update(fields)
    return set_log_record(
        athlete=athlete,
        session_id=session.pk,
        prescription_id=prescription_of(session, exercise_name).pk,
        **values,
    )


def test_a_set_stores_what_was_prescribed_next_to_what_was_done(athlete):
    session = session_for(athlete)
    set_log, created = record(athlete, session, reps=6, load=kg("62.5"), rpe=Decimal("8"))
    assert created
    assert (set_log.reps, set_log.load_kg, set_log.rpe) == (6, Decimal("62.5"), Decimal("8"))
    assert set_log.prescribed == "4 × 4–6 @ moderate-heavy"
    assert (set_log.prescribed_reps_min, set_log.prescribed_reps_max) == (4, 6)


def test_the_same_client_id_twice_is_one_set_with_the_newest_values(athlete):
    session = session_for(athlete)
    set_id = uuid.uuid4()
    record(athlete, session, set_id=set_id, reps=5)
    set_log, created = record(athlete, session, set_id=set_id, reps=4)
    assert not created
    assert SetLog.objects.get().pk == set_id
    assert set_log.reps == 4


def test_a_second_id_for_the_same_set_and_side_updates_that_set(athlete):
    session = session_for(athlete)
    first, _ = record(athlete, session, exercise_name="Side plank", side="left", reps=None,
                      load=None, hold_seconds=30)  # fmt: skip
    again, created = record(athlete, session, exercise_name="Side plank", side="left", reps=None,
                            load=None, hold_seconds=25)  # fmt: skip
    right, _ = record(athlete, session, exercise_name="Side plank", side="right", reps=None,
                      load=None, hold_seconds=30)  # fmt: skip
    assert not created and again.pk == first.pk and again.hold_seconds == 25
    assert SetLog.objects.count() == 2 and right.side == "right"


def test_a_set_sent_again_with_another_place_is_still_that_set(athlete):
    session = session_for(athlete)
    hold = {"exercise_name": "Side plank", "reps": None, "load": None}
    left, _ = record(athlete, session, side="left", hold_seconds=30, **hold)
    right, _ = record(athlete, session, side="right", hold_seconds=30, **hold)
    corrected, created = record(
        athlete, session, set_id=left.pk, side="right", hold_seconds=20, **hold
    )
    assert (corrected.pk, created) == (left.pk, False)
    assert dict(SetLog.objects.values_list("side", "hold_seconds")) == {"left": 20, "right": 30}


def test_a_per_side_exercise_needs_a_side_and_a_bilateral_one_has_none(athlete):
    session = session_for(athlete)
    with pytest.raises(ValidationError, match="left or right"):
        record(athlete, session, exercise_name="Side plank", reps=None, hold_seconds=30)
    with pytest.raises(ValidationError, match="no sides"):
        record(athlete, session, side="left")
    assert not SetLog.objects.exists()


@pytest.mark.parametrize(
    "bad", [{"reps": 101}, {"load": kg("500.5")}, {"rpe": Decimal("11")}, {"reps": None}]
)
def test_absurd_values_are_refused_and_nothing_is_saved(athlete, bad):
    session = session_for(athlete)
    with pytest.raises(ValidationError):
        record(athlete, session, **bad)
    assert not SetLog.objects.exists()


def test_another_athletes_session_does_not_exist_for_them(athlete):
    session = session_for(athlete)
    stranger = AthleteFactory()
    with pytest.raises(ScheduledSession.DoesNotExist):
        record(stranger, session)


def test_a_set_id_from_another_session_is_refused(athlete):
    first = session_for(athlete)
    second = session_for(athlete, name="Day A again")
    set_log, _ = record(athlete, first)
    with pytest.raises(ValidationError, match="another session"):
        record(athlete, second, set_id=set_log.pk)


def test_a_prescription_from_another_session_is_refused(athlete):
    session = session_for(athlete)
    other = session_for(athlete, name="Other")
    with pytest.raises(ValidationError, match="not part of this session"):
        set_log_record(
            athlete=athlete,
            session_id=session.pk,
            prescription_id=prescription_of(other, "Back squat").pk,
            set_id=uuid.uuid4(),
            set_number=1,
            reps=5,
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_id", [True, False], ids=["one id", "an id per tab"])
def test_one_set_posted_concurrently_gives_one_row(same_id):
    """Four requests for one set at once: a retry racing its original (one id), or tabs each
    with an id of their own. Each waits for the session's lock, then must see the set the
    request before it committed."""
    athlete = AthleteFactory()
    session = session_for(athlete)
    prescription_id = prescription_of(session, "Back squat").pk
    shared_id = uuid.uuid4()
    start = threading.Barrier(4)
    outcomes = []

    def post():
        try:
            start.wait()
            outcomes.append(
                set_log_record(
                    athlete=athlete,
                    session_id=session.pk,
                    prescription_id=prescription_id,
                    set_id=shared_id if same_id else uuid.uuid4(),
                    set_number=1,
                    reps=5,
                    load=kg("60"),
                )[1]
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert SetLog.objects.count() == 1
    assert sorted(outcomes) == [False, False, False, True]


def test_completing_records_rpe_minutes_and_note_for_the_coach(athlete):
    session = session_for(athlete)
    done = session_complete(
        athlete=athlete, session_id=session.pk, session_rpe=7, actual_minutes=31, notes=" Good "
    )
    assert (done.status, done.session_rpe, done.actual_minutes) == ("completed", 7, 31)
    (note,) = Comment.objects.filter(thread__scheduled_session=session)
    assert (note.author, note.body) == (athlete.user, "Good")
    assert done.completed_at is not None


def test_a_completed_session_takes_no_more_sets_until_reopened(athlete):
    session = session_for(athlete)
    set_log, _ = record(athlete, session)
    session_complete(athlete=athlete, session_id=session.pk, session_rpe=7)
    with pytest.raises(ValidationError, match="Reopen"):
        record(athlete, session, set_id=set_log.pk, reps=4)
    session_reopen(athlete=athlete, session_id=session.pk)
    corrected, created = record(athlete, session, set_id=set_log.pk, reps=4)
    assert not created and corrected.pk == set_log.pk and corrected.reps == 4


def test_a_retried_set_already_saved_is_the_same_set_after_the_session_closed(athlete):
    session = session_for(athlete)
    set_log, _ = record(athlete, session, reps=5, load=kg("60"), rpe=Decimal("8"))
    session_complete(athlete=athlete, session_id=session.pk, session_rpe=7)
    again, created = record(
        athlete, session, set_id=set_log.pk, reps=5, load=kg("60.00"), rpe=Decimal("8.0")
    )
    assert (again.pk, created) == (set_log.pk, False)
    assert SetLog.objects.filter(scheduled_session=session).count() == 1


def test_reopening_an_open_session_again_changes_nothing(athlete):
    session = session_for(athlete)
    session_complete(athlete=athlete, session_id=session.pk, session_rpe=7)
    session_reopen(athlete=athlete, session_id=session.pk)
    assert session_reopen(athlete=athlete, session_id=session.pk).status == "planned"


def test_a_session_reopens_only_on_the_day_it_was_closed(athlete):
    with time_machine.travel("2026-11-25 18:00 +00:00", tick=False):
        session = session_for(athlete)
        session_complete(athlete=athlete, session_id=session.pk, session_rpe=6)
    with (
        time_machine.travel("2026-11-26 09:00 +00:00", tick=False),
        pytest.raises(ValidationError, match="day it was closed"),
    ):
        session_reopen(athlete=athlete, session_id=session.pk)
    with time_machine.travel("2026-11-25 23:30 +00:00", tick=False):
        assert session_reopen(athlete=athlete, session_id=session.pk).status == "planned"


def test_skipping_needs_a_reason_and_keeps_it_for_the_coach(athlete):
    session = session_for(athlete)
    with pytest.raises(ValidationError):
        session_skip(athlete=athlete, session_id=session.pk, skip_reason="  ")
    skipped = session_skip(athlete=athlete, session_id=session.pk, skip_reason="Sore calf")
    assert (skipped.status, skipped.skip_reason) == ("skipped", "Sore calf")
    reopened = session_reopen(athlete=athlete, session_id=session.pk)
    assert (reopened.status, reopened.skip_reason) == ("planned", "")
