"""`manage.py outbox_relay`: send what waits in the outbox to Celery, here and now."""

from django.core.management.base import BaseCommand

from outbox.models import OutboxMessage
from outbox.services import outbox_relay_pending


class Command(BaseCommand):
    help = "Send the outbox's pending messages to Celery now (what beat's outbox_relay does)."

    def handle(self, *args, **options):
        result = outbox_relay_pending(budget_seconds=float("inf"))
        pending = OutboxMessage.objects.count()
        self.stdout.write(
            f"Relayed {result.delivered} message{'s' if result.delivered != 1 else ''} as "
            f"{result.sent} task{'s' if result.sent != 1 else ''}; {pending} pending."
        )
        if result.refused:
            self.stderr.write("The broker refused; the rest waits for the next relay.")
