"""Two tabs mark the same planned run done at once (each form with its own key): the second is
told "already done" next to the form, never a 500, and nothing of it is saved. Real concurrent
transactions on PostgreSQL: the first tab is held inside its transaction, after saving the run,
until the second is waiting on it."""

import datetime as dt
import threading
import time
from unittest import mock

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from athletes.models import Comment, RunDone
from athletes.services import runs_done
from notices.models import Notice
from tests.athletes.factories import AthleteFactory, RunEventFactory

NOW = dt.datetime(2026, 3, 15, 20, 0, tzinfo=dt.UTC)
TUESDAY = dt.datetime(2026, 3, 10, 7, 0, tzinfo=dt.UTC)


def _tab(user) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is an answer to see, not a crash
    client.force_login(user)
    return client


def _waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _until(condition, seconds=10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


@pytest.mark.django_db(transaction=True)
@time_machine.travel(NOW, tick=True)
def test_the_second_tab_marking_a_planned_run_done_is_told_it_is_done_already():
    athlete = AthleteFactory()
    planned = RunEventFactory(athlete=athlete, starts_at=TUESDAY)
    url = reverse("athletes:run-done-create") + f"?planned={planned.pk}"
    tabs = [_tab(athlete.user), _tab(athlete.user)]
    forms = [
        {
            "date": "2026-03-10", "start_time": "07:00", "duration": "45:00", "rpe": "4",
            "note": f"From tab {n}",
            "idempotency_key": tab.get(url).context["form"]["idempotency_key"].value(),
        }
        for n, tab in enumerate(tabs, 1)
    ]  # fmt: skip
    answers = {}
    first_inside, let_first_commit = threading.Event(), threading.Event()
    post_the_note = runs_done.comment_post

    def first_tab_holds_its_transaction(**comment):
        # Tab 1 has saved its run and holds its transaction open here until tab 2 waits.
        if comment["body"] == "From tab 1":
            first_inside.set()
            let_first_commit.wait(15)
        return post_the_note(**comment)

    def submit(n):
        try:
            answers[n] = tabs[n - 1].post(url, forms[n - 1])
        finally:
            connections.close_all()

    with mock.patch.object(runs_done, "comment_post", first_tab_holds_its_transaction):
        first = threading.Thread(target=submit, args=(1,))
        first.start()
        assert first_inside.wait(15)
        second = threading.Thread(target=submit, args=(2,))
        second.start()
        _until(lambda: _waiting_on_a_lock() >= 1 or not second.is_alive())
        let_first_commit.set()
        first.join(30)
        second.join(30)

    assert answers[1].status_code == 302
    assert answers[2].status_code == 422
    assert answers[2].context["form"].non_field_errors() == [runs_done.ALREADY_DONE]
    run = RunDone.objects.get()
    assert run.run_event_id == planned.pk
    assert list(Comment.objects.values_list("body", flat=True)) == ["From tab 1"]
    assert Notice.objects.count() == 1
