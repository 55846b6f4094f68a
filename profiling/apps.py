from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilingConfig(AppConfig):
    name = "profiling"
    verbose_name = _("Profiling")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from profiling.models import Assessment, FormOfAssistance

        # The per-profile matrix is a reconstruction that offices correct: keep its history.
        auditlog.register(FormOfAssistance)
        # A profile is personal data and a legal event: every change keeps its history.
        auditlog.register(Assessment)
