from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IpdConfig(AppConfig):
    name = "ipd"
    verbose_name = _("Individual action plans")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from clients.signals import advisors_changed, registration_closed
        from ipd import receivers
        from ipd.models import Contact, IndividualActionPlan, PlanAction
        from profiling.signals import profile_determined

        # Plans are personal data and legal acts: every change keeps its history.
        auditlog.register(IndividualActionPlan, m2m_fields={"specialists"})
        auditlog.register(PlanAction)
        auditlog.register(Contact)
        registration_closed.connect(receivers.end_plan_on_deregistration)
        profile_determined.connect(receivers.refresh_on_profile)
        advisors_changed.connect(receivers.follow_new_advisor)
