"""Every page of the project, from the URL resolver, against everyone who must not see it.

The world: one office ("Piaseczno", made by ``seed_demo``) holds every kind of record; a second
office holds only its staff. Each URL pattern of the project (new pages are found
automatically: an unknown pattern with an object id fails the test until ``OBJECT_OF`` says
which record it opens) is requested with the ids of the first office's records

- by an anonymous visitor: a redirect to the login page (the public pages excepted);
- by the second office's advisor, manager and office administrator, with GET and with POST:
  403 or 404 (405 for a method a page does not take), never a page, and no surname or PESEL of the
  first office's clients in any answer; after all the POSTs the first office's data is
  unchanged, table by table;
- by the first office's own manager (the control): the same GETs answer 200, a redirect, or
  405 for the pages that only take a POST, so the ids are real and the refusals mean something.

The admin is walked the same way over its change, history and delete pages.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from clients.models import Client, Employer
from ipd import deadlines
from ipd.models import Contact, IndividualActionPlan, PlanAction, Reminder
from job_clubs.models import Activity, Enrolment, JobClub, Session
from labour_office.offices.models import Office, Role, User
from profiling.models import Assessment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Pages anyone may open.
PUBLIC = {
    "login",
    "set_language",
    "health",
    "job_clubs:public_offices",
    "job_clubs:public_activities",
}


# Which record each object id of each page opens, found in the first office.
RECORDS: dict[str, Callable[[Office], Any]] = {
    "client": lambda o: (
        Client.objects.filter(office=o, registrations__deregistered_on__isnull=True)
        .order_by("pk")
        .first()
    ),
    "employer": lambda o: Employer.objects.filter(office=o).order_by("pk").first(),
    "plan": lambda o: (
        IndividualActionPlan.objects.filter(client__office=o, status="active")
        .order_by("pk")
        .first()
    ),
    "action": lambda o: PlanAction.objects.filter(plan__client__office=o).order_by("pk").first(),
    "contact": lambda o: Contact.objects.filter(plan__client__office=o).order_by("pk").first(),
    "reminder": lambda o: Reminder.objects.filter(office=o).order_by("pk").first(),
    "assessment": lambda o: (
        Assessment.objects.filter(client__office=o, status="determined").order_by("pk").first()
    ),
    "club": lambda o: JobClub.objects.filter(office=o).order_by("pk").first(),
    "activity": lambda o: Activity.objects.filter(club__office=o).order_by("pk").first(),
    "enrolment": lambda o: (
        Enrolment.objects.filter(activity__club__office=o, status="enrolled").order_by("pk").first()
    ),
    "session": lambda o: Session.objects.filter(activity__club__office=o).order_by("pk").first(),
    "office": lambda o: o,
    "staff": lambda o: User.objects.filter(office=o).order_by("pk").first(),
}

# (URL name, keyword) -> the kind of record; the keyword alone when one name holds for all.
OBJECT_OF: dict[str, str] = {
    "client_pk": "client",
    "club_pk": "club",
    "office_pk": "office",
    "enrolment_pk": "enrolment",
    "number": "version",
    **{
        f"{name}:pk": "client"
        for name in (
            "client_detail",
            "client_edit",
            "client_deregister",
            "client_reregister",
            "client_journal",
            "client_entry_add",
            "client_reassign",
            "client_personal_data",
            "client_personal_data_pdf",
            "client_personal_data_json",
        )
    },
    **{
        f"{name}:pk": "employer"
        for name in (
            "employer_detail",
            "employer_edit",
            "employer_contact_add",
            "employer_entry_add",
        )
    },
    **{
        f"ipd:{name}:pk": "plan"
        for name in (
            "plan",
            "update",
            "action_add",
            "agree",
            "amend",
            "amend_agree",
            "version",
            "contact_add",
            "end",
            "pdf",
        )
    },
    **{
        f"ipd:{name}:pk": "action"
        for name in ("action_edit", "action_remove", "action_move", "action_status")
    },
    "ipd:contact_record:pk": "contact",
    "ipd:reminder_done:pk": "reminder",
    **{
        f"{name}:pk": "assessment"
        for name in ("assessment_interview", "assessment_result", "assessment_sheet")
    },
    **{f"job_clubs:{name}:pk": "club" for name in ("club", "club_edit", "week")},
    **{f"job_clubs:{name}:pk": "activity" for name in ("activity", "activity_edit", "enrol")},
    **{
        f"job_clubs:{name}:pk": "enrolment"
        for name in ("cancel", "drop_out", "certificate_issue", "certificate")
    },
    **{f"job_clubs:{name}:pk": "session" for name in ("register", "mark", "sign_list")},
    "office_detail:pk": "office",
    **{
        f"{name}:pk": "staff"
        for name in (
            "staff_detail",
            "staff_edit",
            "staff_deactivate",
            "staff_activate",
            "staff_reset_two_factor",
        )
    },
}

# Values of the pages' other path parts.
WORDS = {
    "kind": "office",
    "direction": "up",
    "key": "registered",
    "month": "2026-11",
    "fmt": "csv",
}


def _patterns(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # walked by test_the_admin_answers_nothing_of_another_office
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, prefix + str(entry.pattern), inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


def _urls(office: Office) -> list[tuple[str, str]]:
    """Every named page with the ids of ``office``'s records."""
    records = {kind: pick(office) for kind, pick in RECORDS.items()}
    assert all(records.values()), [kind for kind, record in records.items() if record is None]
    plan = records["plan"]
    urls = []
    for name, pattern in _patterns():
        kwargs: dict[str, Any] = {}
        for key, converter in pattern.pattern.converters.items():
            if type(converter).__name__ == "IntConverter":
                kind = OBJECT_OF.get(f"{name}:{key}") or OBJECT_OF.get(key)
                assert kind, f"{name}: which record does <{key}> open? Add it to OBJECT_OF."
                if kind == "version":
                    kwargs[key] = plan.versions.order_by("number").first().number
                elif kind == "enrolment" and key == "enrolment_pk":
                    kwargs[key] = records["enrolment"].pk
                else:
                    kwargs[key] = records[kind].pk
            else:
                assert key in WORDS, f"{name}: what goes in <{key}>? Add it to WORDS."
                kwargs[key] = WORDS[key]
        urls.append((name, reverse(name, kwargs={**kwargs})))
    return urls


def _personal_data(office: Office) -> list[str]:
    clients = Client.objects.filter(office=office).exclude(pesel__isnull=True)
    return [value for c in clients for value in (c.pesel, f"{c.first_name} {c.last_name}")]


def _digest(office: Office | None = None) -> dict[str, int]:
    """Rows and a checksum of the tables a page could change; with ``office``, of its own rows
    of the office and staff tables (the other office's settings are theirs to change)."""
    tables = [
        "clients_client",
        "clients_registration",
        "clients_advisorassignment",
        "clients_cardentry",
        "clients_employer",
        "ipd_individualactionplan",
        "ipd_planaction",
        "ipd_contact",
        "ipd_reminder",
        "profiling_assessment",
        "job_clubs_jobclub",
        "job_clubs_activity",
        "job_clubs_enrolment",
        "job_clubs_attendance",
        "offices_office",
        "offices_user",
    ]
    with connection.cursor() as cursor:
        result = {}
        for table in tables:
            where = ""
            if office is not None and table in ("offices_office", "offices_user"):
                column = "id" if table == "offices_office" else "office_id"
                where = f" WHERE t.{column} = {int(office.pk)}"
            cursor.execute(
                f"SELECT hashtext(coalesce(string_agg(t::text, '' ORDER BY t::text), '')) "  # noqa: S608
                f"FROM {table} t{where}"
            )
            result[table] = cursor.fetchone()[0]
        return result


@pytest.fixture
def world() -> dict[str, Any]:
    call_command("seed_demo", "--clients", "30", "--offices", "1", verbosity=0)
    today = timezone.localdate()
    deadlines.write_reminders(today, (*deadlines.DEADLINE_KINDS, *deadlines.CONTACT_KINDS))
    theirs = Office.objects.get()
    ours = Office.objects.create(name="PUP w Gnieźnie", teryt_powiat="3003")
    users = {
        role: UserFactory(username=f"obcy.{role}", office=ours, role=role)
        for role in (Role.ADVISOR, Role.MANAGER, Role.ADMIN)
    }
    control = User.objects.get(username="kierownik")
    assert control.office == theirs
    assert Group.objects.get(name=Role.MANAGER) in control.groups.all()
    return {"theirs": theirs, "ours": ours, "users": users, "control": control}


def _signed_in(user: User) -> HttpClient:
    http = HttpClient(HTTP_HOST="localhost")
    http.force_login(user)
    return http


def test_every_page_refuses_another_office_and_anonymous_visitors(world: dict[str, Any]) -> None:
    theirs: Office = world["theirs"]
    urls = _urls(theirs)
    assert len(urls) > 60  # the walk found the project's pages
    secrets = _personal_data(theirs)
    assert len(secrets) >= 40

    # The control: their own manager opens every page with these ids.
    control = _signed_in(world["control"])
    opened = 0
    for name, url in urls:
        status = control.get(url, secure=True).status_code
        assert status < 500, (name, url, status)
        # 405: a page that only takes POST answered the GET (the POST below is the test).
        opened += status in (200, 302, 405)
    assert opened >= len(urls) - 3, "the ids do not open the pages: the walk proves nothing"

    anonymous = HttpClient(HTTP_HOST="localhost")
    for name, url in urls:
        response = anonymous.get(url, secure=True)
        if name in PUBLIC:
            assert response.status_code in (200, 302), (name, url)
        else:
            assert response.status_code == 302, (name, url, response.status_code)
            assert response["Location"].startswith(reverse("login")), (name, url)
        body = response.content.decode(errors="replace")
        assert not [s for s in secrets if s in body], (name, url)

    signed_in = {role: _signed_in(user) for role, user in world["users"].items()}
    before = _digest(theirs)  # after signing in, which records the last login
    checked = 0
    for role, http in signed_in.items():
        for name, url in urls:
            if name == "logout":
                continue  # it would sign the user out of the rest of the walk
            for method in (http.get, http.post):
                response = method(url, secure=True)
                body = response.content.decode(errors="replace")
                leaked = [s for s in secrets if s in body]
                assert not leaked, (role, name, url, leaked[:2])
                if name in PUBLIC:
                    continue
                has_id = any(part.isdigit() for part in url.split("/"))
                if has_id:
                    assert response.status_code in (403, 404, 405), (
                        role,
                        method.__name__,
                        name,
                        url,
                        response.status_code,
                    )
                else:
                    assert response.status_code < 500, (role, name, url)
                checked += 1
    assert _digest(theirs) == before  # no POST of another office changed anything
    assert checked > 300


def test_the_admin_answers_nothing_of_another_office(world: dict[str, Any]) -> None:
    theirs: Office = world["theirs"]
    secrets = _personal_data(theirs)
    admin_user: User = world["users"][Role.ADMIN]
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    http = _signed_in(admin_user)
    from django.contrib import admin

    walked = 0
    for model, _model_admin in admin.site._registry.items():
        pk = (
            RECORDS_BY_MODEL[model](theirs).pk
            if model in RECORDS_BY_MODEL
            else model.objects.order_by("pk").values_list("pk", flat=True).first()
        )
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        response = http.get(changelist, secure=True)
        assert response.status_code in (200, 302, 403), (changelist, response.status_code)
        body = response.content.decode(errors="replace")
        assert not [s for s in secrets if s in body], changelist
        if pk is None or model not in RECORDS_BY_MODEL:
            continue
        for view in ("change", "history", "delete"):
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[pk])
            response = http.get(url, secure=True)
            assert response.status_code in (302, 403, 404), (url, response.status_code)
            body = response.content.decode(errors="replace")
            assert not [s for s in secrets if s in body], url
            walked += 1
    assert walked >= 20


RECORDS_BY_MODEL: dict[Any, Callable[[Office], Any]] = {
    Client: RECORDS["client"],
    Employer: RECORDS["employer"],
    IndividualActionPlan: RECORDS["plan"],
    PlanAction: RECORDS["action"],
    Contact: RECORDS["contact"],
    Reminder: RECORDS["reminder"],
    Assessment: RECORDS["assessment"],
    JobClub: RECORDS["club"],
    Activity: RECORDS["activity"],
    Enrolment: RECORDS["enrolment"],
    Session: RECORDS["session"],
    User: RECORDS["staff"],
}


def _exported_rows(response: Any, fmt: str) -> list[list[Any]]:
    """The data rows of an export, without its header."""
    if fmt == "csv":
        lines = response.content.decode("utf-8-sig").splitlines()
        return [line.split(";") for line in lines[1:]]
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)][1:]


def test_dashboard_lists_and_exports_give_another_office_nothing(world: dict[str, Any]) -> None:
    """The dashboard's lists, trends and exports take the office and the advisor as query
    parameters: another office's manager who puts the first office's ids there gets the rows
    of their own (empty) office, never the first office's clients."""
    from labour_office.dashboard.models import TrendSeries
    from labour_office.dashboard.selectors import METRICS

    theirs: Office = world["theirs"]
    their_advisor = User.objects.filter(office=theirs, is_customer_advisor=True).first()
    assert their_advisor is not None
    secrets = _personal_data(theirs)
    surnames = set(Client.objects.filter(office=theirs).values_list("last_name", flat=True))
    params: list[dict[str, Any]] = [
        {},
        {"office": theirs.pk},
        {"advisor": their_advisor.pk},
        {"office": theirs.pk, "advisor": their_advisor.pk, "status": "unemployed"},
    ]
    month = timezone.localdate().strftime("%Y-%m")

    control = _signed_in(world["control"])
    response = control.get(
        reverse("dashboard:export", args=["registered", "csv"]),
        {"advisor": their_advisor.pk},
        secure=True,
    )
    assert _exported_rows(response, "csv"), "the control exports nothing: the test proves nothing"

    checked = 0
    for role in (Role.MANAGER, Role.ADMIN):
        http = _signed_in(world["users"][role])
        for query in params:
            for key in METRICS:
                for fmt in ("csv", "xlsx"):
                    url = reverse("dashboard:export", args=[key, fmt])
                    response = http.get(url, query, secure=True)
                    assert response.status_code == 200, (role, url, query)
                    rows = _exported_rows(response, fmt)
                    assert rows == [], (role, url, query, rows[:2])
                    checked += 1
                url = reverse("dashboard:list", args=[key])
                response = http.get(url, query, secure=True)
                body = response.content.decode()
                assert response.status_code == 200, (role, url, query)
                assert not [s for s in secrets if s in body], (role, url, query)
                checked += 1
            for series in TrendSeries:
                url = reverse("dashboard:trend", args=[series.value, month])
                response = http.get(url, query, secure=True)
                body = response.content.decode()
                assert response.status_code == 200, (role, url, query)
                assert not [s for s in secrets if s in body], (role, url, query)
                assert not [s for s in surnames if f">{s} " in body or f" {s}<" in body]
                checked += 1
    assert checked > 100
