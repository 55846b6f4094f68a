"""``manage.py retention [--dry-run]``: the retention policy applied now, with its report."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from labour_office.retention import services
from labour_office.retention.models import Mode, RetentionPolicy, RetentionRun


class Command(BaseCommand):
    help = (
        "Apply the retention policy now in its mode (off, dry run, anonymise) and print the "
        "report; --dry-run reports who would be anonymised and changes nothing, whatever the "
        "mode."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the clients past the retention period; change nothing.",
        )
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help="Count the period as of this day (YYYY-MM-DD) instead of today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: date = options["date"] or timezone.localdate()
        policy = RetentionPolicy.load()
        if options["dry_run"]:
            run = services.run(mode=Mode.DRY_RUN, years=policy.years_after_closure, today=today)
        elif policy.mode == Mode.OFF:
            self.stdout.write(
                _(
                    "The retention policy is off: nothing was done. Use --dry-run to see who "
                    "would be anonymised."
                )
            )
            return
        else:
            run = services.run(mode=policy.mode, years=policy.years_after_closure, today=today)
        self.report(run)

    def report(self, run: RetentionRun) -> None:
        self.stdout.write(
            _(
                "Retention: %(mode)s. Years after the last registration closed: %(years)s. "
                "Registrations closed before %(cutoff)s."
            )
            % {
                "mode": run.get_mode_display(),
                "years": run.years_after_closure,
                "cutoff": run.cutoff.isoformat(),
            }
        )
        if run.mode == Mode.DRY_RUN:
            line = ngettext(
                "%(count)s client would be anonymised.",
                "%(count)s clients would be anonymised.",
                run.clients_count,
            )
        else:
            line = ngettext(
                "%(count)s client anonymised.",
                "%(count)s clients anonymised.",
                run.clients_count,
            )
        self.stdout.write(line % {"count": run.clients_count})
        entries = run.entries.order_by("client_id").values_list(
            "client_id", "office_id", "closed_on"
        )
        for client_id, office_id, closed_on in entries.iterator(chunk_size=2000):
            self.stdout.write(
                _("client %(client)s (office %(office)s): last registration closed on %(date)s")
                % {"client": client_id, "office": office_id, "date": closed_on.isoformat()}
            )
