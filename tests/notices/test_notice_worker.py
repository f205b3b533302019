"""Notices sent by a real Celery worker over Redis, through a real SMTP server: a task run
twice (or three times, two at once) sends one email; a comment reaches the coach once."""

import uuid

import pytest
from django.db import transaction

from athletes.services.conversation import comment_post
from coach.celery import app as celery_app
from notices.models import Notice
from notices.services import notice_send
from notices.tasks import notices_email_send
from tests.athletes.factories import AthleteFactory, ScheduledSessionFactory
from tests.coach.factories import CoachUserFactory
from tests.worker import wait_until, wait_until_idle

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def address():
    return f"coach-{uuid.uuid4().hex[:10]}@example.com"


def emails_to(mailbox, to):
    return [message for message in mailbox.messages if to in message["to"]]


def test_the_same_notice_task_run_three_times_sends_one_email(
    celery_worker_process, worker_mailbox
):
    coach = CoachUserFactory(email=address(), password=None)
    with transaction.atomic():  # the outbox hands the email task to the worker on commit
        notice_send(recipient=coach, kind="comment", key="comment:twice", title="Twice told")
    notices_email_send.delay(coach.pk)
    notices_email_send.delay(coach.pk)

    wait_until(lambda: emails_to(worker_mailbox, coach.email))
    wait_until_idle(celery_app.conf.task_default_queue)

    # Figures: 3 task runs, 1 notice -> 1 email sent, 1 expected.
    assert len(emails_to(worker_mailbox, coach.email)) == 1
    assert Notice.objects.get(recipient=coach).emailed_at is not None


def test_an_athletes_comment_reaches_their_coach_once_by_email(
    celery_worker_process, worker_mailbox
):
    coach = CoachUserFactory(email=address(), password=None)
    athlete = AthleteFactory(coach=coach, user__first_name="Rosa", user__last_name="Runner")
    session = ScheduledSessionFactory(athlete=athlete, name="Day A")
    comment_id = uuid.uuid4()
    for _ in range(2):  # the phone's queue sends it again after a lost answer
        comment_post(author=athlete.user, subject=session, comment_id=comment_id, body="Heavy!")

    message = worker_mailbox.wait_for("Rosa Runner on Day A", to=coach.email)
    wait_until_idle(celery_app.conf.task_default_queue)

    # Figures: 1 comment posted twice -> 1 email sent, 1 expected.
    assert len(emails_to(worker_mailbox, coach.email)) == 1
    assert "Heavy!" in message.get_body(preferencelist=("plain",)).get_content()
