from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "labour_office.retention"
    label = "retention"
    verbose_name = _("Data retention")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from labour_office.retention.models import RetentionPolicy

        # The administrator's changes to the policy keep their history like personal data.
        auditlog.register(RetentionPolicy)
