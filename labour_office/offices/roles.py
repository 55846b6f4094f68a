"""The three roles as Django groups, with the permissions each one carries.

Groups are kept in step with ``ROLE_PERMISSIONS`` after every ``migrate`` (permissions only
exist once their models are migrated). Later apps add their codenames here.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig, apps
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from labour_office.offices.models import Role

ADVISOR_PERMISSIONS = [
    "offices.view_office",
    "offices.view_user",
    "clients.view_client",
    "clients.add_client",
    "clients.change_client",
    "clients.view_registration",
    "clients.add_registration",
    "clients.change_registration",
    "clients.view_cardentry",
    "clients.add_cardentry",
    "clients.view_employer",
    "clients.add_employer",
    "clients.change_employer",
    "clients.view_substitution",
    "profiling.view_formofassistance",
    "profiling.view_assessment",
    "profiling.add_assessment",
    "profiling.change_assessment",
    "ipd.view_individualactionplan",
    "ipd.add_individualactionplan",
    "ipd.change_individualactionplan",
    "ipd.view_planaction",
    "ipd.add_planaction",
    "ipd.change_planaction",
    "ipd.delete_planaction",
    "ipd.view_contact",
    "ipd.add_contact",
    "ipd.change_contact",
    "ipd.view_planversion",
    "job_clubs.view_jobclub",
    "job_clubs.view_activity",
    "job_clubs.view_session",
    "job_clubs.view_enrolment",
    "job_clubs.add_enrolment",
    "job_clubs.change_enrolment",
    "job_clubs.view_attendance",
]
MANAGER_PERMISSIONS = [
    *ADVISOR_PERMISSIONS,
    "offices.manage_staff",
    "clients.reassign_client",
    "clients.add_substitution",
    "clients.view_letterrange",
    "clients.add_letterrange",
    "clients.change_letterrange",
    "clients.delete_letterrange",
    "job_clubs.add_jobclub",
    "job_clubs.change_jobclub",
    "job_clubs.add_activity",
    "job_clubs.change_activity",
    "job_clubs.add_session",
    "job_clubs.change_session",
    "job_clubs.delete_session",
    "job_clubs.add_attendance",
    "job_clubs.change_attendance",
    # GDPR art. 15 reports: the office's data-protection requests go through managers and
    # administrators, not through every advisor.
    "audit.report_personal_data",
]
ADMIN_PERMISSIONS = [
    *MANAGER_PERMISSIONS,
    "offices.change_office",
    "offices.add_user",
    "offices.change_user",
    "audit.view_accesslog",
    "auditlog.view_logentry",
    # Retention: administrators read the policy and the dry-run reports of their office;
    # changing the policy is limited further to national administrators (retention/admin.py).
    "retention.view_retentionpolicy",
    "retention.change_retentionpolicy",
    "retention.view_retentionrun",
    # The beat schedule (docs/decisions/0003): entries come from code; administrators pause
    # them, retime them until the next start (new intervals or crontabs), remove stale rows.
    "django_celery_beat.view_periodictask",
    "django_celery_beat.change_periodictask",
    "django_celery_beat.delete_periodictask",
    "django_celery_beat.view_intervalschedule",
    "django_celery_beat.add_intervalschedule",
    "django_celery_beat.change_intervalschedule",
    "django_celery_beat.view_crontabschedule",
    "django_celery_beat.add_crontabschedule",
    "django_celery_beat.change_crontabschedule",
    "django_celery_beat.view_clockedschedule",
    "django_celery_beat.view_solarschedule",
    # Read-only registers of the Django admin (their writes go through the services).
    "clients.view_advisorassignment",
    "clients.view_employercontact",
    "ipd.view_dueitem",
    "ipd.view_reminder",
    "ipd.view_digest",
    "system.view_heartbeat",
    "dashboard.view_caseload",
    "system.view_parameter",
    "system.change_parameter",
    "clients.view_jobseekercategory",
    "clients.change_jobseekercategory",
    "clients.view_deregistrationreason",
    "clients.change_deregistrationreason",
    "profiling.view_questionnaireversion",
    "profiling.add_questionnaireversion",
    "profiling.change_questionnaireversion",
    "profiling.view_question",
    "profiling.change_question",
    "profiling.view_answeroption",
    "profiling.change_answeroption",
    "profiling.change_formofassistance",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADVISOR: ADVISOR_PERMISSIONS,
    Role.MANAGER: MANAGER_PERMISSIONS,
    Role.ADMIN: ADMIN_PERMISSIONS,
}


def _permissions(names: list[str]) -> list[Permission]:
    query = Q()
    for name in names:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def sync_role_groups(app_config: AppConfig | None = None, **kwargs: Any) -> None:
    """Runs after migrate; acts once, for the last app, when every app's permissions exist."""
    if app_config is not None and app_config != list(apps.get_app_configs())[-1]:
        return
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions(names))
