from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    name = "labour_office.offices"
    label = "offices"
    verbose_name = _("Offices and staff")

    def ready(self) -> None:
        from labour_office.offices import roles

        # Permissions exist only after migrate has run, so the role groups are synced then.
        post_migrate.connect(roles.sync_role_groups)
        from labour_office.offices import (
            audit,  # noqa: F401 - registers models with auditlog
            two_factor,  # noqa: F401 - its sign-in receiver
        )
