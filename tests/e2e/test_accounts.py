"""Accounts end to end in Chromium, with mail for real: the live server writes each account
email to the outbox, a real Celery worker sends it through a real SMTP server (aiosmtpd, on a
free port) and the test reads the link out of the message it received.

- a stranger signs up as a coach (on a phone), confirms the address, creates a first invitation;
- a coach who forgot the password resets it: the old one is refused, the link is dead after use;
- a coach turns on an authenticator app: logging in asks for the code, a wrong one is refused,
  the right one lets them in.
"""

import os
import re

import pytest
from django.db import connection
from django.urls import reverse
from playwright.sync_api import expect

from coach.celery import app as celery_app
from coach.models import User
from tests.coach.factories import TEST_PASSWORD, CoachUserFactory, totp_code
from tests.e2e.accessibility import serious_violations
from tests.e2e.conftest import log_in
from tests.mail import body_of, links_in, running_smtp_server, smtp_settings
from tests.worker import running_celery_worker, unique_queue, wait_until_idle

pytestmark = pytest.mark.worker
NEW_PASSWORD = "a-brand-new-passphrase"


def label(text):
    """A field's label as written, whatever mark follows it (a required field's asterisk):
    "Password" and not "Password (again)"."""
    return re.compile(rf"^\s*{re.escape(text)}\W*$")


@pytest.fixture(scope="module")
def mail(django_db_setup, tmp_path_factory):
    """The SMTP server the worker delivers to, with the messages it received; the worker runs
    for the module, on a queue of its own."""
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("mail through a worker needs REDIS_URL and a PostgreSQL DATABASE_URL")
    queue = unique_queue("coach-mail")
    log_path = tmp_path_factory.mktemp("celery") / "mail-worker.log"
    with running_smtp_server() as (received, port):  # noqa: SIM117 (the worker needs its port)
        with running_celery_worker(queue, log_path, env=smtp_settings(port)):
            default_queue = celery_app.conf.task_default_queue
            celery_app.conf.task_default_queue = queue
            try:
                yield received
            finally:
                wait_until_idle(queue)
                celery_app.conf.task_default_queue = default_queue


def link_in(message, path_part):
    (link,) = [url for url in links_in(body_of(message)) if path_part in url]
    return link


def test_a_stranger_signs_up_confirms_the_address_and_invites_a_first_athlete(
    transactional_db, mail, phone_page, live_server, policy_violations
):
    page = phone_page
    violations = policy_violations(page)
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_role("link", name="Create your coach account").click()
    expect(page.get_by_role("heading", name="Create your coach account")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Email").fill("nia@example.com")
    page.get_by_label(label("Password")).fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("heading", name="No athletes yet")).to_be_visible()
    expect(page.get_by_role("link", name="Copy a library template")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{live_server.url}{reverse('invitation-list')}")
    expect(page.get_by_role("alert")).to_contain_text("Confirm your email address before")

    message = mail.wait_for("Confirm Your Email Address", to="nia@example.com")
    page.goto(link_in(message, "/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    page.goto(f"{live_server.url}{reverse('invitation-list')}")
    page.get_by_label("Note to yourself (optional)").fill("Sam from the club")
    page.get_by_role("button", name="Create invitation link").click()

    expect(page.get_by_text("Invitation created")).to_be_visible()
    expect(page.get_by_role("button", name="Copy link")).to_be_visible()
    assert User.objects.get(email="nia@example.com").invitations.count() == 1
    assert violations == []


def test_a_forgotten_password_is_reset_by_email_and_the_link_works_once(
    transactional_db, mail, laptop_page, live_server, policy_violations
):
    page = laptop_page
    violations = policy_violations(page)
    coach = CoachUserFactory(email="casey@example.com")
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("casey@example.com")
    page.get_by_role("button", name="Reset My Password").click()
    expect(page.get_by_text("We have sent you an email")).to_be_visible()

    link = link_in(mail.wait_for("Password Reset Email", to="casey@example.com"), "/reset/key/")
    page.goto(link)
    page.get_by_label(label("New Password")).fill(NEW_PASSWORD)
    page.get_by_label("New Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change Password").click()
    expect(page.get_by_text("Your password is now changed.")).to_be_visible()

    log_in(page, live_server, coach.username, TEST_PASSWORD)
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    log_in(page, live_server, coach.username, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.goto(link)
    expect(page.get_by_text("already been used")).to_be_visible()
    assert violations == []


def test_with_an_authenticator_app_on_login_asks_for_the_code(
    transactional_db, mail, laptop_page, live_server, policy_violations
):
    page = laptop_page
    violations = policy_violations(page)
    coach = CoachUserFactory()
    log_in(page, live_server, coach.username)
    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Two-factor authentication").click()
    page.get_by_role("link", name="Activate").click()
    page.get_by_label("Password").fill(TEST_PASSWORD)  # it asks again before a change
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("img")).to_be_visible()  # the QR code
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server, coach.username)
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    page.get_by_label("Code").fill(totp_code(secret, steps_ahead=1))  # a code not used yet
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    mail.wait_for("Authenticator App Activated", to=coach.email)
    assert violations == []
