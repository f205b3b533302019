"""`manage.py send_reminders`: the reminder job (beat's athletes.tasks.reminders_send), run here
and now. Each reminder is sent once: running it again, or beside beat, sends nothing more."""

from django.core.management.base import BaseCommand

from athletes.services.reminders import reminders_send


class Command(BaseCommand):
    help = "Remind athletes of today's session and of yesterday's missed one, where it is due."

    def handle(self, *args, **options):
        result = reminders_send()
        self.stdout.write(
            f"Sent {result.reminders} reminder{'s' if result.reminders != 1 else ''} "
            f"and {result.missed} missed-session note{'s' if result.missed != 1 else ''}."
        )
