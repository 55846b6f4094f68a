"""The dashboard's caseload rows follow the registrations, advisors and profiles in the same
transaction, and equal what a rebuild from the sources gives."""

from io import StringIO

import pytest
from django.core.management import call_command

from clients import services as client_services
from clients.models import DeregistrationReason
from labour_office.dashboard import caseload
from labour_office.dashboard.models import Caseload
from labour_office.offices.models import Office, Role, User
from tests.factories import UserFactory
from tests.ipd.conftest import TODAY, determine_profile, unemployed

pytestmark = pytest.mark.django_db


def rows() -> set[tuple[object, ...]]:
    return set(
        Caseload.objects.values_list(
            "client_id", "office_id", "advisor_id", "status", "profile", "registered_on"
        )
    )


def test_the_rows_follow_each_change(advisor: User, manager: User, office: Office) -> None:
    client = unemployed(advisor, office, None)
    row = Caseload.objects.get(client=client)
    assert (row.office_id, row.advisor_id, row.status, row.profile) == (
        office.pk,
        advisor.pk,
        "unemployed",
        "",
    )
    determine_profile(advisor, client, "III", TODAY)
    assert Caseload.objects.get(client=client).profile == "III"
    other = UserFactory(username="druga", office=office, role=Role.ADVISOR)
    client_services.advisor_bulk_reassign(
        acting_user=manager, office=office, client_ids=[client.pk], advisor=other, reason="urlop"
    )
    assert Caseload.objects.get(client=client).advisor_id == other.pk
    client_services.registration_close(
        acting_user=advisor,
        registration=client.registrations.get(deregistered_on__isnull=True),
        deregistered_on=TODAY,
        reason=DeregistrationReason.objects.get(code="own_request"),
    )
    assert not Caseload.objects.filter(client=client).exists()


def test_after_the_demo_the_rows_equal_a_rebuild() -> None:
    call_command("seed_demo", "--clients", "30", "--offices", "2", stdout=StringIO())
    kept = rows()
    assert kept
    out = StringIO()
    call_command("rebuild_caseload", stdout=out)
    assert rows() == kept
    assert f"caseload: {len(kept)} registered clients" in out.getvalue()
    caseload.refresh([])  # nothing to do, no error
