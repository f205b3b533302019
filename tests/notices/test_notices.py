"""Notices: once per key and recipient, emailed at most once per 10 minutes per user, with a
one-click unsubscribe that works signed out and refuses a tampered link; the preferences page."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from notices.models import Notice, NoticeSettings
from notices.services import notice_send, notices_email_due, notices_email_send
from tests.coach.factories import CoachUserFactory
from tests.mail import running_smtp_server, sending_through

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 10, 12, 0, tzinfo=dt.UTC)


def tell(user, key, kind="comment"):
    return notice_send(recipient=user, kind=kind, key=key, title=f"About {key}", url="/today/")


@pytest.fixture
def coach():
    return CoachUserFactory(email="casey@example.com")


@time_machine.travel(NOW, tick=False)
def test_the_same_key_twice_is_one_notice_and_one_email(coach):
    assert tell(coach, "comment:1") is not None
    assert tell(coach, "comment:1") is None

    assert notices_email_send(coach.pk) == 1
    assert notices_email_send(coach.pk) == 0
    assert Notice.objects.count() == 1 and len(mail.outbox) == 1


def test_a_coach_gets_at_most_one_email_per_10_minutes_of_activity(coach):
    sent = []
    for minute in range(0, 25):  # a comment a minute for 25 minutes, the task run after each
        with time_machine.travel(NOW + dt.timedelta(minutes=minute), tick=False):
            tell(coach, f"comment:{minute}")
            sent.append(notices_email_send(coach.pk))
    with time_machine.travel(NOW + dt.timedelta(minutes=31), tick=False):
        assert notices_email_due() == [coach.pk]
        sent.append(notices_email_send(coach.pk))

    # Emails at minutes 0, 10, 20 and the rest at 31: 4 emails for 25 notices, none lost.
    assert sum(sent) == 4 and len(mail.outbox) == 4
    assert sum(email.body.count("About comment:") for email in mail.outbox) == 25
    assert not Notice.objects.filter(emailed_at__isnull=True).exists()


@time_machine.travel(NOW, tick=False)
def test_a_kind_turned_off_is_listed_but_not_emailed(coach):
    NoticeSettings.objects.create(user=coach, kinds_off=["flag"])
    tell(coach, "flag:1", kind="flag")

    assert notices_email_send(coach.pk) == 0
    assert mail.outbox == []
    client = Client()
    client.force_login(coach)
    assert "About flag:1" in client.get(reverse("notices:notice-list")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_email_reaches_a_real_smtp_server_with_a_one_click_unsubscribe(coach):
    tell(coach, "comment:1")
    with running_smtp_server() as (received, port), sending_through(port):
        assert notices_email_send(coach.pk) == 1
        message = received.wait_for("About comment:1", to="casey@example.com")

    link = message["List-Unsubscribe"].strip().strip("<>")
    assert message["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    assert link.startswith("http://127.0.0.1:8000/notices/unsubscribe/")
    assert "http://127.0.0.1:8000/today/" in message.get_payload()

    signed_out = Client()
    path = link.removeprefix("http://127.0.0.1:8000")
    assert "Stop the emails for new comments?" in signed_out.get(path).content.decode()
    assert NoticeSettings.objects.get(user=coach).kinds_off == [], "a GET changes nothing"
    assert signed_out.post(path).status_code == 200  # the mail client's one-click POST
    assert NoticeSettings.objects.get(user=coach).kinds_off == ["comment"]

    tampered = path.replace("/unsubscribe/", "/unsubscribe/x")
    assert signed_out.post(tampered).status_code == 400


def test_preferences_turn_kinds_off_and_take_quiet_hours_only_whole(athlete):
    client = Client()
    client.force_login(athlete.user)
    url = reverse("notices:preferences")

    half = client.post(url, {"kinds_on": ["comment"], "quiet_from": "22:00"})
    assert half.status_code == 422
    assert "Give both ends of the quiet hours, or neither." in half.content.decode()
    assert not NoticeSettings.objects.exists()

    saved = client.post(
        url, {"kinds_on": ["comment", "moved"], "quiet_from": "22:00", "quiet_until": "07:00"}
    )
    assert saved.status_code == 302
    choices = NoticeSettings.objects.get(user=athlete.user)
    assert sorted(choices.kinds_off) == ["missed", "reminder"]  # flags are not theirs to mind
    assert (choices.quiet_from, choices.quiet_until) == (dt.time(22), dt.time(7))
    assert choices.quiet_at(dt.time(23, 30)) and not choices.quiet_at(dt.time(7))
