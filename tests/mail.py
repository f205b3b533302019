"""Account mail in tests: a real SMTP server the test starts, the worker's part of sending, and
reading a link out of a message.

Account emails leave through the outbox (coach.services.account_email_enqueue): a test in a
rolled-back transaction never commits, so nothing is relayed, and `account_emails_send()` does
what the worker would. Through Django's test backend the messages land in `mail.outbox`; with
`smtp_server` they cross a real SMTP connection to a server on a free port.
"""

import email
import email.policy
import re
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlparse

from aiosmtpd.controller import Controller
from django.test import override_settings

from coach.services import ACCOUNT_EMAIL_TASK
from coach.tasks import account_email_send
from outbox.models import OutboxMessage

LINK = re.compile(r"https?://[^\s<>\"]+")


def account_emails_send() -> int:
    """Send the account emails waiting in the outbox, as a worker would (through the
    EMAIL_BACKEND in force), and drop them from it. Returns how many were sent."""
    waiting = list(OutboxMessage.objects.filter(task=ACCOUNT_EMAIL_TASK).order_by("pk"))
    for message in waiting:
        account_email_send(*message.args)
        message.delete()
    return len(waiting)


def links_in(text: str) -> list[str]:
    return LINK.findall(text)


def emailed_link(mailbox, *, about: str, leading_to: str, to: str | None = None) -> str:
    """Once the account emails waiting in the outbox are sent (to Django's test `mailbox`):
    the path of the link to `leading_to` in the one message whose subject has `about` in it
    (and that went to `to`)."""
    account_emails_send()
    (message,) = [m for m in mailbox if about in m.subject and to in (None, *m.to)]
    (link,) = [url for url in links_in(message.body) if leading_to in url]
    return urlparse(link).path


@dataclass
class ReceivedMail:
    """What an SMTP server was sent, one parsed message per DATA."""

    messages: list = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, subject_part: str, to: str, timeout: float = 30):
        """The first message to `to` whose subject contains `subject_part`, waiting for it to
        arrive (a worker in another process may still be sending it)."""

        def found():
            return next(
                (m for m in self.messages if subject_part in m["subject"] and to in m["to"]),
                None,
            )

        with self.arrived:
            self.arrived.wait_for(found, timeout=timeout)
            message = found()
        assert message is not None, f"no mail about {subject_part!r} reached {to} in {timeout} s"
        return message


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_smtp_server():
    """A real SMTP server on a free local port, for as long as the block runs: yields its
    ReceivedMail and port."""
    received = ReceivedMail()
    port = free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield received, port
    finally:
        controller.stop()


def smtp_settings(port: int) -> dict:
    """The environment's mail settings (coach/settings.py reads these names) for a server."""
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
    }


@contextmanager
def sending_through(port: int):
    """Django's mail settings pointed at the SMTP server on `port`, in this process."""
    values = smtp_settings(port)
    with override_settings(
        EMAIL_BACKEND=values["EMAIL_BACKEND"],
        EMAIL_HOST=values["EMAIL_HOST"],
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
    ):
        yield
