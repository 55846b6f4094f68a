from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobClubsConfig(AppConfig):
    name = "job_clubs"
    verbose_name = _("Job clubs")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from job_clubs.models import Activity, Attendance, Enrolment, JobClub

        auditlog.register(JobClub)
        auditlog.register(Activity)
        # Who took part is personal data: every change keeps its history.
        auditlog.register(Enrolment)
        auditlog.register(Attendance)
