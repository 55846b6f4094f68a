"""The personal-data report (GDPR art. 15), rectification with history, and PESEL masking in
lists and exports.

The clients are built through the real services (registration, profiling, the IPD, job-club
enrolment and register) so the report reads the same rows the application writes.
"""

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from clients import services as client_services
from clients.models import CardEntry, Client, EntryKind
from ipd import services as ipd_services
from ipd.models import (
    Contact,
    ContactChannel,
    ContactStatus,
    IndividualActionPlan,
    PlanAction,
    Reminder,
)
from job_clubs import services as club_services
from job_clubs.models import Activity, AttendanceMark, Enrolment, JobClub
from labour_office.audit.models import AccessAction, AccessLog
from labour_office.offices.models import Office, User
from tests.conftest import signed_in
from tests.factories import UserFactory
from tests.ipd.conftest import TODAY, prepared_plan, travel, unemployed
from tests.job_clubs.conftest import WARSAW, make_activity

# Remember: a service called outside a request leaves no actor in auditlog; the form POSTs
# below go through the middleware, which records the user.

REPORT_VIEWS = ("client_personal_data", "client_personal_data_pdf", "client_personal_data_json")


@pytest.fixture(autouse=True)
def today() -> Iterator[None]:
    with travel(TODAY):
        yield


@pytest.fixture
def club(office: Office, advisor: User) -> JobClub:
    return JobClub.objects.create(
        office=office, name="Klub Pracy Piaseczno", place="ul. Kościuszki 5", leader=advisor
    )


@pytest.fixture
def activity(club: JobClub) -> Activity:
    return make_activity(club, sessions=2)


def fill(
    advisor: User, client: Client, activity: Activity, *, extra: int = 1, serial: int = 0
) -> dict[str, Any]:
    """Records about ``client`` in every area, ``extra`` of the repeatable ones."""
    plan = prepared_plan(advisor, client)
    for n in range(extra):
        ipd_services.contact_add(
            acting_user=advisor,
            plan=plan,
            status=ContactStatus.PLANNED,
            contact_on=TODAY + timedelta(days=10 + n),
            channel=ContactChannel.PHONE,
            staff=advisor,
            note=f"Kontakt {serial}-{n}",
        )
        CardEntry.objects.create(
            client=client,
            kind=EntryKind.ADVISOR_ACTION,
            text=f"Wpis doradcy {serial}-{n}",
            author=advisor,
        )
        Reminder.objects.create(
            client=client,
            office=client.office,
            kind="contact",
            due_on=TODAY + timedelta(days=30 + n),
            act_by=TODAY + timedelta(days=30 + n),
            stage="upcoming",
            advisor=advisor,
            plan=plan,
            created_on=TODAY,
        )
    enrolment = club_services.enrol(
        acting_user=advisor,
        activity=activity,
        client=client,
        on=TODAY,
        justification="Potrzebuje wsparcia w poszukiwaniu pracy.",
    )
    session = activity.sessions.order_by("starts_at").first()
    assert session is not None
    with travel(session.starts_at.astimezone(WARSAW).date()):
        club_services.mark_attendance(
            acting_user=advisor,
            session=session,
            enrolment=enrolment,
            mark=AttendanceMark.PRESENT,
            on=session.starts_at.astimezone(WARSAW).date(),
        )
    return {"plan": plan, "enrolment": enrolment}


@pytest.fixture
def full_client(advisor: User, activity: Activity) -> Client:
    """Anna Planowa1: registered, profiled (I), a plan in force with an office and an own
    action and a contact, a journal entry, a reminder, enrolled in a job club and present at
    its first session."""
    client = unemployed(advisor, advisor.office, "I", serial=1)
    fill(advisor, client, activity)
    return Client.objects.get(pk=client.pk)


@pytest.fixture
def bystander(advisor: User, activity: Activity) -> Client:
    """Another client of the same office, with records of their own."""
    client = unemployed(advisor, advisor.office, "II", serial=2)
    client.first_name = "Zenobia"
    client.save()
    CardEntry.objects.create(
        client=client, kind=EntryKind.ADVISOR_ACTION, text="Tajny wpis Zenobii", author=advisor
    )
    return client


def edit_form_data(http: HttpClient, client: Client, **changes: Any) -> dict[str, Any]:
    """The card form as the page sends it back, with ``changes``."""
    response = http.get(reverse("client_edit", args=[client.pk]))
    data: dict[str, Any] = {}
    for form in (response.context["form"], response.context["pesel_form"]):
        for bound in form:
            value = bound.value()
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif value is None:
                data[bound.html_name] = ""
            elif isinstance(value, date):
                data[bound.html_name] = value.isoformat()
            else:
                data[bound.html_name] = value
    for name, value in changes.items():
        data[name] = value
    return data


# --- The report's contents ----------------------------------------------------------------------


def test_the_report_holds_every_area_of_the_client_and_nobody_elses(
    manager: User, full_client: Client, bystander: Client
) -> None:
    plan = IndividualActionPlan.objects.get(client=full_client)
    response = signed_in(manager).get(reverse("client_personal_data", args=[full_client.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    report = response.context["report"]
    sections = {s.key: s for s in report.sections}
    # Every area holds the client's records.
    for key in (
        "card",
        "registrations",
        "advisors",
        "journal",
        "assessments",
        "plans",
        "plan_versions",
        "plan_actions",
        "plan_contacts",
        "enrolments",
        "attendance",
        "deadlines",
        "reminders",
    ):
        assert sections[key].records, f"{key} is empty"
    card = {item.name: item for item in sections["card"].records[0].items}
    assert card["pesel"].value == full_client.pesel  # the record itself: the full number
    assert card["last_name"].display == "Planowa1"
    assert card["education_level"].display == "wyższe"
    answers = {item.name: item for item in sections["assessments"].records[0].items}
    assert answers["interview_answers"].value  # the interview answers are held and shown
    assert answers["final_profile"].value == "I"
    assert [r.pk for r in sections["plans"].records] == [plan.pk]
    assert "Kontakt 0-0" in html
    assert "Wpis doradcy 0-0" in html
    assert "Aktywne poszukiwanie pracy" in html  # the job-club activity
    assert plan.goals in html
    # Nothing about the other client.
    assert "Zenobia" not in html
    assert "Tajny wpis Zenobii" not in html
    assert bystander.pesel is not None and bystander.pesel not in html


def test_the_access_and_change_history_say_who_and_when(
    advisor: User, manager: User, full_client: Client
) -> None:
    advisor_http = signed_in(advisor)
    assert advisor_http.get(reverse("client_detail", args=[full_client.pk])).status_code == 200
    # Rectification through the card's own form.
    data = edit_form_data(advisor_http, full_client, last_name="Poprawiona")
    response = advisor_http.post(reverse("client_edit", args=[full_client.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    full_client.refresh_from_db()
    assert full_client.last_name == "Poprawiona"

    manager_http = signed_in(manager)
    page = manager_http.get(reverse("client_personal_data", args=[full_client.pk]))
    report = page.context["report"]
    # Access: the advisor opened the card and its edit form, the manager this report.
    viewers = [(a.username, a.action) for a in report.accesses]
    assert (advisor.username, AccessAction.VIEW) in viewers
    assert viewers[-1] == (manager.username, AccessAction.VIEW)
    assert all(a.remote_addr == "127.0.0.1" for a in report.accesses)
    # Change: surname Planowa1 → Poprawiona by the advisor.
    surname = [
        (change, f)
        for change in report.changes
        for f in change.fields
        if f.name == "last_name" and change.action == "update"
    ]
    assert len(surname) == 1
    change, field = surname[0]
    assert (field.old, field.new) == ("Planowa1", "Poprawiona")
    assert change.username == advisor.username
    assert change.user == "Anna Kowalska"
    assert abs(change.timestamp - timezone.now()) < timedelta(minutes=1)
    html = page.content.decode()
    assert "Planowa1 → Poprawiona" in html
    assert "Anna Kowalska" in html
    # Related records' history is there too: the plan, its actions, the enrolment.
    keys = {(c.record_type, c.object_pk) for c in report.changes}
    plan = IndividualActionPlan.objects.get(client=full_client)
    enrolment = Enrolment.objects.get(client=full_client)
    assert (str(IndividualActionPlan._meta.verbose_name), str(plan.pk)) in keys
    assert (str(Enrolment._meta.verbose_name), str(enrolment.pk)) in keys
    assert any(c.record_type == str(PlanAction._meta.verbose_name) for c in report.changes)
    assert any(c.record_type == str(Contact._meta.verbose_name) for c in report.changes)

    export = manager_http.get(reverse("client_personal_data_json", args=[full_client.pk]))
    data_out = json.loads(export.content)
    surname_json = [
        (entry, f)
        for entry in data_out["change_history"]
        for f in entry["changes"]
        if f["field"] == "last_name" and entry["action"] == "update"
    ]
    assert len(surname_json) == 1
    entry, field_json = surname_json[0]
    assert (field_json["old"], field_json["new"]) == ("Planowa1", "Poprawiona")
    assert entry["user"] == advisor.get_full_name()
    assert entry["action"] == "update"
    assert any(a["user"] == advisor.get_full_name() for a in data_out["access_history"])
    # The staff's own data stay with the office: names, not logins or workstation addresses.
    assert not [e for e in data_out["access_history"] if {"username", "ip_address"} & set(e)]
    assert not [e for e in data_out["change_history"] if {"username", "ip_address"} & set(e)]
    # The PESEL is masked in the history (auditlog's mask_fields), never in full.
    assert full_client.pesel is not None
    assert full_client.pesel not in json.dumps(data_out["change_history"])


def test_the_json_export_is_an_attachment_with_the_same_sections(
    manager: User, full_client: Client
) -> None:
    http = signed_in(manager)
    page = http.get(reverse("client_personal_data", args=[full_client.pk])).context["report"]
    response = http.get(reverse("client_personal_data_json", args=[full_client.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == (
        f'attachment; filename="personal-data-{full_client.pk}.json"'
    )
    data = json.loads(response.content)
    assert list(data["sections"]) == [s.key for s in page.sections]
    for section in page.sections:
        assert len(data["sections"][section.key]["records"]) == len(section.records)
    card = data["sections"]["card"]["records"][0]["fields"]
    assert card["pesel"]["value"] == full_client.pesel
    assert card["last_name"]["value"] == "Planowa1"
    assert card["birth_date"]["value"] == full_client.birth_date.isoformat()
    assert card["office"]["value"]["id"] == full_client.office_id
    assert data["client"] == {"id": full_client.pk, "name": str(full_client)}
    assert data["access_history"] and data["change_history"]


def test_the_pdf_is_a_pdf_with_the_report(manager: User, full_client: Client) -> None:
    response = signed_in(manager).get(reverse("client_personal_data_pdf", args=[full_client.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Planowa1" in text
    assert full_client.pesel is not None and full_client.pesel in text
    with translation.override("pl"):
        for heading in ("Individual action plans", "Who opened the record", "Changes to the data"):
            assert gettext(heading) in text


def test_the_page_prints_without_the_navigation(manager: User, full_client: Client) -> None:
    html = (
        signed_in(manager)
        .get(reverse("client_personal_data", args=[full_client.pk]))
        .content.decode()
    )
    # The print style lives in app.css (the Content-Security-Policy refuses inline styles):
    # printed, the report leaves out the navigation, the footer and its own buttons.
    assert 'class="gdpr-report"' in html
    assert "css/app.css" in html
    assert "data-print" in html
    stylesheet = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    print_rules = stylesheet[stylesheet.index("@media print") :]
    assert "body:has(.gdpr-report) > header" in print_rules
    assert ".no-print { display: none" in print_rules
    assert reverse("client_personal_data_pdf", args=[full_client.pk]) in html
    assert reverse("client_personal_data_json", args=[full_client.pk]) in html


# --- Who may produce it ---------------------------------------------------------------------------


def test_managers_and_administrators_only_and_only_their_office(
    advisor: User,
    manager: User,
    office_admin: User,
    other_office_manager: User,
    full_client: Client,
) -> None:
    for name in REPORT_VIEWS:
        url = reverse(name, args=[full_client.pk])
        assert signed_in(advisor).get(url).status_code == 403
        assert signed_in(manager).get(url).status_code == 200
        assert signed_in(office_admin).get(url).status_code == 200
        assert signed_in(other_office_manager).get(url).status_code == 404
        assert HttpClient().get(url).status_code == 302  # to the login page
    assert signed_in(manager).get(reverse(REPORT_VIEWS[0], args=[999999])).status_code == 404


def test_the_client_page_links_the_report_only_with_the_permission(
    advisor: User, manager: User, full_client: Client
) -> None:
    url = reverse("client_personal_data", args=[full_client.pk])
    detail = reverse("client_detail", args=[full_client.pk])
    assert url in signed_in(manager).get(detail).content.decode()
    assert url not in signed_in(advisor).get(detail).content.decode()


def test_each_report_is_logged_as_viewed_printed_or_exported(
    manager: User, full_client: Client
) -> None:
    http = signed_in(manager)
    for name in REPORT_VIEWS:
        assert http.get(reverse(name, args=[full_client.pk])).status_code == 200
    logged = AccessLog.objects.filter(user=manager, object_id=str(full_client.pk)).order_by("pk")
    assert [row.action for row in logged] == [
        AccessAction.VIEW,
        AccessAction.PRINT,
        AccessAction.EXPORT,
    ]
    assert all(row.content_type.model == "client" for row in logged)


# --- Query budget ---------------------------------------------------------------------------------


REPORT_BUDGET = 28


def test_the_report_costs_the_same_queries_for_many_records(
    advisor: User,
    manager: User,
    office: Office,
    club: JobClub,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    small = unemployed(advisor, office, "I", serial=11)
    fill(advisor, small, make_activity(club, sessions=2), extra=1, serial=1)
    large = unemployed(advisor, office, "I", serial=12)
    fill(advisor, large, make_activity(club, sessions=2), extra=6, serial=2)
    advisor_http = signed_in(advisor)
    for _ in range(5):  # more access-log rows for the large one
        advisor_http.get(reverse("client_detail", args=[large.pk]))
    http = signed_in(manager)
    for name in ("client_personal_data", "client_personal_data_json"):
        counts = []
        for client in (small, large):
            http.get(reverse(name, args=[client.pk]))  # warm the caches (content types)
            with (
                django_assert_max_num_queries(REPORT_BUDGET),
                CaptureQueriesContext(connection) as queries,
            ):
                assert http.get(reverse(name, args=[client.pk])).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], f"{name}: {counts}"
    report = http.get(reverse("client_personal_data", args=[large.pk])).context["report"]
    sections = {s.key: s for s in report.sections}
    assert len(sections["plan_contacts"].records) == 6
    assert len(sections["reminders"].records) == 6


# --- Data minimisation: no full PESEL in lists and exports ------------------------------------


def test_lists_and_exports_show_the_pesel_masked(
    advisor: User,
    manager: User,
    full_client: Client,
    activity: Activity,
    bystander: Client,
) -> None:
    """Every page listing clients, and every export, shows at most the masked PESEL; the
    full number stays on the client's own record."""
    assert full_client.pesel is not None
    masked = full_client.masked_pesel
    assert masked.startswith(full_client.pesel[:2]) and "*" in masked
    session = activity.sessions.order_by("starts_at").first()
    assert session is not None
    client_services.substitution_create(
        acting_user=manager,
        absent=UserFactory(office=advisor.office),
        substitute=advisor,
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=3),
    )
    advisor_http = signed_in(advisor)
    manager_http = signed_in(manager)
    pages: dict[str, tuple[HttpClient, str, dict[str, str], bool]] = {
        # name: (who, url, query, shows the masked PESEL)
        "desk": (advisor_http, reverse("home"), {"advisor": "all"}, True),
        "desk search": (advisor_http, reverse("home"), {"q": "Planowa"}, True),
        "candidates": (
            advisor_http,
            reverse("job_clubs:activity", args=[activity.pk]),
            {"q": "Planowa"},
            True,
        ),
        "club": (advisor_http, reverse("job_clubs:club", args=[activity.club_id]), {}, False),
        "register": (advisor_http, reverse("job_clubs:register", args=[session.pk]), {}, False),
        "inbox": (advisor_http, reverse("ipd:inbox"), {}, False),
        "substitutions": (manager_http, reverse("substitution_list"), {}, False),
        "dashboard": (manager_http, reverse("dashboard:dashboard"), {}, False),
        "dashboard list": (
            manager_http,
            reverse("dashboard:list", args=["registered"]),
            {},
            False,
        ),
        "employers": (advisor_http, reverse("employer_list"), {}, False),
    }
    for name, (http, url, query, shows_masked) in pages.items():
        response = http.get(url, query)
        assert response.status_code == 200, name
        text = response.content.decode()
        assert full_client.pesel not in text, name
        assert bystander.pesel is not None and bystander.pesel not in text, name
        if shows_masked:
            assert "Planowa1" in text, name
            assert masked in text, name
    # The enrolled client appears on the job-club pages that list participants.
    activity_page = advisor_http.get(reverse("job_clubs:activity", args=[activity.pk]))
    assert "Planowa1" in activity_page.content.decode()
    assert full_client.pesel not in activity_page.content.decode()
    # Exports of the dashboard's lists.
    csv_export = manager_http.get(reverse("dashboard:export", args=["registered", "csv"]))
    text = csv_export.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert any("Planowa1" in cell for row in rows for cell in row)
    assert full_client.pesel not in text
    xlsx = manager_http.get(reverse("dashboard:export", args=["registered", "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any("Planowa1" in c for c in cells)
    assert not any(full_client.pesel in c for c in cells)
    # And the full number where it belongs: the client's own record.
    own = advisor_http.get(reverse("client_detail", args=[full_client.pk])).content.decode()
    assert full_client.pesel in own
