"""Run the daily deadline checks now, synchronously, for a day (today by default).

The same code the beat tasks run: useful for demos, for catching up by hand, and for an office
that prefers cron to Celery beat. ``--refresh`` first recomputes every client's due items from
the data (after an import, or to repair them).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from clients.models import Client
from ipd import deadlines


class Command(BaseCommand):
    help = "Write the IPD reminders due on a day and send the advisors' digests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--refresh", action="store_true", help="recompute every client's due items first"
        )
        parser.add_argument("--no-mail", action="store_true", help="do not send the digests")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("Give the date as YYYY-MM-DD.") from None
        if options["refresh"]:
            clients = Client.objects.filter(registrations__deregistered_on__isnull=True)
            count = 0
            for client in clients.iterator(chunk_size=2000):
                deadlines.refresh_due_items(client)
                count += 1
            self.stdout.write(f"Due items recomputed for {count} clients.")
        contact = deadlines.write_reminders(day, deadlines.CONTACT_KINDS)
        other = deadlines.write_reminders(day, deadlines.DEADLINE_KINDS)
        self.stdout.write(f"{day}: {contact} contact reminders, {other} other reminders written.")
        if not options["no_mail"]:
            sent = deadlines.send_digests(day)
            self.stdout.write(f"{sent} digests sent.")
