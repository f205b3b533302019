"""Account mail for real: a reset link crosses a real SMTP connection (aiosmtpd, started by the
test on a free port), is read back out of the message, and is followed."""

from urllib.parse import urlparse

import pytest
from django.urls import reverse

from outbox.models import OutboxMessage
from tests.coach.factories import TEST_PASSWORD, CoachUserFactory
from tests.mail import (
    account_emails_send,
    body_of,
    links_in,
    running_smtp_server,
    sending_through,
)

NEW_PASSWORD = "a-brand-new-passphrase"


@pytest.mark.django_db
def test_a_reset_link_sent_through_a_real_smtp_server_resets_the_password_once(client):
    coach = CoachUserFactory(email="casey@example.com")

    with running_smtp_server() as (received, port), sending_through(port):
        asked = client.post(reverse("account_reset_password"), {"email": "Casey@Example.com"})
        assert asked.url == reverse("account_reset_password_done")
        assert account_emails_send() == 1
        message = received.wait_for("Password Reset", to="casey@example.com")

    assert message["from"] == "Coach <coach@localhost>"
    assert message["subject"] == "Coach: Password Reset Email"
    (link,) = [url for url in links_in(body_of(message)) if "/password/reset/key/" in url]
    form = client.get(urlparse(link).path, follow=True)
    assert form.status_code == 200 and 'name="password1"' in form.text
    done = client.post(
        form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert done.url == reverse("account_reset_password_from_key_done")

    coach.refresh_from_db()
    assert coach.check_password(NEW_PASSWORD) and not coach.check_password(TEST_PASSWORD)
    again = client.get(urlparse(link).path, follow=True)
    assert "already been used" in again.text
    assert 'name="password1"' not in again.text


@pytest.mark.django_db
def test_account_mail_waits_in_the_outbox_until_a_worker_sends_it(client, mailoutbox):
    """The request only writes the message down: it answers whatever the mail server does."""
    CoachUserFactory(email="casey@example.com")

    client.post(reverse("account_reset_password"), {"email": "casey@example.com"})

    assert mailoutbox == []
    (waiting,) = OutboxMessage.objects.all()
    assert waiting.task == "coach.tasks.account_email_send"
    assert waiting.args[0]["to"] == ["casey@example.com"]
    account_emails_send()
    assert [m.to for m in mailoutbox] == [["casey@example.com"]]
