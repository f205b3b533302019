"""`manage.py flag_sessions [--athlete ID]`: the flag check, run here and now.

Without --athlete it runs the whole periodic scan (every chunk, one after the other, in this
process); with it, one athlete's recheck. The same code the Celery tasks run, so its result is
what the workers would leave.
"""

from django.core.management.base import BaseCommand, CommandError

from athletes.models import Athlete, Flag
from athletes.services import flagging


class Command(BaseCommand):
    help = "Raise, update and resolve flags now: every athlete, or one with --athlete ID."

    def add_arguments(self, parser):
        parser.add_argument("--athlete", type=int, help="Check only this athlete (id).")

    def handle(self, *args, athlete=None, **options):
        if athlete is None:
            result = flagging.flags_scan_all()
            open_flags = Flag.objects.filter(resolved_at__isnull=True)
        else:
            if not Athlete.objects.filter(pk=athlete).exists():
                raise CommandError(f"No athlete with id {athlete}.")
            result = flagging.flags_refresh_for_athlete(athlete)
            open_flags = Flag.objects.filter(athlete_id=athlete, resolved_at__isnull=True)
        self.stdout.write(
            f"Checked {result.athletes} athlete{'s' if result.athletes != 1 else ''}: "
            f"{result.raised} raised, {result.updated} updated, {result.resolved} resolved; "
            f"{open_flags.count()} open."
        )
