"""The Django admin keeps to the office; client addresses cannot be forged."""

import pytest
from auditlog.models import LogEntry
from django.test import RequestFactory
from django.urls import reverse

from labour_office.audit.models import AccessLog
from labour_office.offices.ip import client_ip
from labour_office.offices.models import Role, User
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_without_trusted_proxies_only_the_peer_address_counts(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "10.0.0.1"


def test_behind_one_proxy_the_last_forwarded_entry_is_the_client(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; our proxy appended the real address.
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 83.1.2.3"
    )
    assert client_ip(request) == "83.1.2.3"


def test_office_admin_sees_only_their_office_in_the_audit_admin(
    office_admin: User, advisor: User, other_office_advisor: User, other_office_manager: User
) -> None:
    signed_in(other_office_manager).get(reverse("staff_detail", args=[other_office_advisor.pk]))
    http = signed_in(office_admin)
    http.get(reverse("staff_detail", args=[advisor.pk]))
    response = http.get(reverse("admin:audit_accesslog_changelist"))
    assert response.status_code == 200
    shown = list(response.context["cl"].queryset)
    assert [entry.user for entry in shown] == [office_admin]
    assert AccessLog.objects.count() == 2

    response = http.get(reverse("admin:auditlog_logentry_changelist"))
    actors = {entry.actor_id for entry in response.context["cl"].queryset}
    assert other_office_manager.pk not in actors

    response = http.get(reverse("admin:offices_user_changelist"))
    assert other_office_advisor not in response.context["cl"].queryset


def test_a_change_of_role_is_in_the_history(manager: User, advisor: User) -> None:
    signed_in(manager).post(
        reverse("staff_edit", args=[advisor.pk]),
        {
            "first_name": "Anna",
            "last_name": "Kowalska",
            "email": "",
            "post": "placement",
            "is_customer_advisor": "on",
            "role": Role.MANAGER,
        },
    )
    changes = [e.changes_dict for e in LogEntry.objects.get_for_object(advisor)]
    assert any("groups" in change for change in changes)
