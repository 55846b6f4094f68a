from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from labour_office.dashboard import caseload


class Command(BaseCommand):
    help = "Recompute the dashboard's caseload rows from registrations, advisors and profiles."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = caseload.rebuild()
        self.stdout.write(f"caseload: {count} registered clients")
