"""The Django admin for administrators: every model registered and rendering, office scoping
for an office's administrator, actions that go through the services, a query budget per
changelist, and the beat schedule (docs/decisions/0003)."""

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.db import models
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from django_celery_beat.schedulers import ModelEntry

from clients import services as client_services
from clients.models import (
    AdvisorAssignment,
    AssignmentKind,
    CardEntry,
    Client,
    EmployerContact,
    EntryKind,
    LetterRange,
)
from ipd import services as ipd_services
from ipd.models import (
    ContactChannel,
    ContactStatus,
    Digest,
    DueItem,
    DueKind,
    IndividualActionPlan,
    Reminder,
    ReminderStage,
)
from job_clubs import services as club_services
from job_clubs.models import Activity, Enrolment, EnrolmentStatus, JobClub
from labour_office.audit.models import AccessLog
from labour_office.celery import app as celery_app
from labour_office.offices.models import Office, User
from labour_office.retention import services as retention
from labour_office.system.models import Heartbeat
from tests.conftest import signed_in
from tests.factories import ClientFactory, UserFactory
from tests.ipd.conftest import TODAY, prepared_plan, travel, unemployed
from tests.job_clubs.conftest import make_activity

pytestmark = pytest.mark.django_db

# The most queries any changelist below may run, with 1 row as with 20 (DESIGN rule 7).
CHANGELIST_BUDGET = 16
WHY = "Klient potrzebuje wsparcia w poszukiwaniu pracy."


@pytest.fixture(autouse=True)
def today() -> Iterator[None]:
    with travel(TODAY):
        yield


@pytest.fixture
def superuser(db: None) -> User:
    return UserFactory(
        username="root", office=None, is_superuser=True, is_staff=True, is_customer_advisor=False
    )


def _office_world(advisor: User, office: Office, serial: int) -> dict[str, Any]:
    """A client of ``office`` with a plan in force, a contact, a reminder, a digest, and an
    enrolment in a job-club activity with attendance, all through the services."""
    client = unemployed(advisor, office, "I", serial=serial)
    plan = prepared_plan(advisor, client)
    ipd_services.contact_add(
        acting_user=advisor,
        plan=plan,
        status=ContactStatus.HELD,
        contact_on=TODAY - timedelta(days=3),
        channel=ContactChannel.PHONE,
        staff=advisor,
    )
    due = DueItem.objects.filter(client=client).first()
    assert due is not None
    Reminder.objects.create(
        client=client,
        office=office,
        kind=due.kind,
        due_on=due.due_on,
        act_by=due.act_by,
        stage=ReminderStage.UPCOMING,
        advisor=advisor,
        plan=plan,
        created_on=TODAY,
    )
    Digest.objects.create(advisor=advisor, day=TODAY, reminders=1)
    club = JobClub.objects.create(
        office=office, name=f"Klub Pracy {office.pk}", place="ul. Kościuszki 5", leader=advisor
    )
    activity = make_activity(club, capacity=1)
    enrolment = club_services.enrol(
        acting_user=advisor, activity=activity, client=client, on=TODAY, justification=WHY
    )
    club_services.mark_attendance(
        acting_user=advisor,
        session=activity.sessions.first(),  # type: ignore[arg-type]
        enrolment=enrolment,
        mark="present",
        on=TODAY,
    )
    return {"client": client, "plan": plan, "activity": activity, "enrolment": enrolment}


@pytest.fixture
def world(
    office: Office,
    other_office: Office,
    advisor: User,
    manager: User,
    office_admin: User,
    other_office_advisor: User,
) -> dict[str, Any]:
    """One row of every model, in both offices where the model belongs to one."""
    mine = _office_world(advisor, office, serial=1)
    theirs = _office_world(other_office_advisor, other_office, serial=2)
    second_advisor = UserFactory(office=office, last_name="Zastępska")
    client_services.substitution_create(
        acting_user=manager,
        absent=advisor,
        substitute=second_advisor,
        starts_on=TODAY + timedelta(days=1),
        ends_on=TODAY + timedelta(days=5),
    )
    LetterRange.objects.create(office=office, advisor=advisor, first_letter="A", last_letter="M")
    employer = client_services.employer_register(
        acting_user=advisor,
        office=office,
        data={"name": "Sadownik sp. z o.o.", "nip": "5260250274", "kind": "entrepreneur"}
        | {"city": "Piaseczno"},
    )
    EmployerContact.objects.create(employer=employer, name="Jan Sadowy")
    AccessLog.objects.create(
        user=advisor,
        content_type_id=_content_type_id(Client),
        object_id=str(mine["client"].pk),
        object_repr=str(mine["client"]),
    )
    Heartbeat.objects.create(name="beat", last_seen=timezone.now(), hostname="worker")
    every_minute = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="db-only", task="celery.backend_cleanup", interval=every_minute
    )
    CrontabSchedule.objects.create(hour="5", minute="0")
    SolarSchedule.objects.create(event="sunrise", latitude=Decimal("52.2"), longitude=Decimal("21"))
    ClockedSchedule.objects.create(clocked_time=timezone.now())
    for model in (AccessAttempt, AccessFailureLog, AxesAccessLog):
        fields = {"user_agent": "test", "ip_address": "10.0.0.1", "username": "x"}
        if model is AccessAttempt:
            fields |= {"get_data": "", "post_data": "", "failures_since_start": 1}
        model.objects.create(http_accept="*/*", path_info="/accounts/login/", **fields)
    if not LogEntry.objects.exists():
        LogEntry.objects.log_create(mine["client"], action=LogEntry.Action.UPDATE, changes={})
    retention.run(mode="dry_run")
    return {"mine": mine, "theirs": theirs, "employer": employer, "advisor2": second_advisor}


def _content_type_id(model: type[models.Model]) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def _url(model: type[models.Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", REGISTERED, ids=[m._meta.label for m in REGISTERED])
def test_every_admin_page_renders_for_a_superuser(
    model: type[models.Model], world: dict[str, Any], superuser: User
) -> None:
    model_admin = admin.site._registry[model]
    http = signed_in(superuser)
    assert http.get(_url(model, "changelist")).status_code == 200
    if model_admin.search_fields:
        assert http.get(_url(model, "changelist"), {"q": "x"}).status_code == 200
    obj = model._default_manager.first()
    assert obj is not None, f"the fixture made no {model._meta.label}"
    assert http.get(_url(model, "change", quote(obj.pk))).status_code == 200
    if model_admin.has_add_permission(_request(superuser)):
        assert http.get(_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=[m._meta.label for m in REGISTERED])
def test_every_admin_page_an_office_administrator_may_see_renders(
    model: type[models.Model], world: dict[str, Any], office_admin: User
) -> None:
    model_admin = admin.site._registry[model]
    request = _request(office_admin)
    http = signed_in(office_admin)
    if not model_admin.has_view_or_change_permission(request):
        assert http.get(_url(model, "changelist")).status_code == 403
        return
    assert http.get(_url(model, "changelist"), {"q": "x"}).status_code == 200
    obj = model_admin.get_queryset(request).first()
    if obj is not None:
        assert http.get(_url(model, "change", quote(obj.pk))).status_code == 200
    if model_admin.has_add_permission(request):
        assert http.get(_url(model, "add")).status_code == 200


def _request(user: User) -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_every_model_of_the_project_is_registered_with_search() -> None:
    from django.apps import apps

    project = {"clients", "profiling", "ipd", "job_clubs", "offices", "audit", "system"}
    for model in apps.get_models():
        if model._meta.app_label in project:
            assert model in admin.site._registry, model
            assert admin.site._registry[model].search_fields, model


def _shown(http: HttpClient, model: type[models.Model]) -> list[Any]:
    response = http.get(_url(model, "changelist"))
    assert response.status_code == 200
    return list(response.context["cl"].queryset)


def test_an_office_administrator_sees_only_their_office(
    world: dict[str, Any], office_admin: User
) -> None:
    assert office_admin.is_staff
    mine, theirs = world["mine"], world["theirs"]
    http = signed_in(office_admin)
    assert _shown(http, Client) == [mine["client"]]
    assert _shown(http, IndividualActionPlan) == [mine["plan"]]
    assert _shown(http, Enrolment) == [mine["enrolment"]]
    assert {a.client_id for a in _shown(http, AdvisorAssignment)} == {mine["client"].pk, None}
    assert _shown(http, Activity) == [mine["activity"]]
    for model, obj in [
        (Client, theirs["client"]),
        (IndividualActionPlan, theirs["plan"]),
        (Enrolment, theirs["enrolment"]),
        (Activity, theirs["activity"]),
    ]:
        response = http.get(_url(model, "change", obj.pk))
        assert response.status_code in (302, 404)
        assert str(obj.client if hasattr(obj, "client") else obj) not in response.content.decode()
    assert http.get(_url(Client, "change", mine["client"].pk)).status_code == 200


def test_opening_a_clients_record_in_the_admin_is_logged(
    world: dict[str, Any], office_admin: User
) -> None:
    client = world["mine"]["client"]
    signed_in(office_admin).get(_url(IndividualActionPlan, "change", world["mine"]["plan"].pk))
    assert AccessLog.objects.filter(user=office_admin, object_id=str(client.pk)).exists()


def test_choices_and_autocomplete_keep_to_the_office(
    world: dict[str, Any], office_admin: User, other_office: Office
) -> None:
    http = signed_in(office_admin)
    response = http.get(
        reverse("admin:autocomplete"),
        {"app_label": "ipd", "model_name": "individualactionplan", "field_name": "client"},
    )
    assert response.status_code == 200
    ids = {int(row["id"]) for row in response.json()["results"]}
    assert ids == {world["mine"]["client"].pk}

    form = http.get(_url(JobClub, "add")).context["adminform"].form
    assert list(form.fields["office"].queryset) == [office_admin.office]
    assert not form.fields["leader"].queryset.filter(office=other_office).exists()
    club = world["mine"]["activity"].club
    JobClub.objects.create(office=club.office, name="Drugi klub", place="p", leader=club.leader)
    response = http.get(_url(Enrolment, "changelist"))
    filters = response.context["cl"].filter_specs
    club_filter = next(f for f in filters if getattr(f, "field_path", "") == "activity__club")
    assert sorted(label for _pk, label in club_filter.lookup_choices) == ["Drugi klub", club.name]
    assert not any(getattr(f, "field_path", "") == "office" for f in filters)


def _run_action(
    http: HttpClient, model: type[models.Model], action: str, pks: list[int], **data: Any
) -> Any:
    payload = {"action": action, "_selected_action": pks, "index": 0}
    response = http.post(_url(model, "changelist"), payload)
    if data:
        assert response.status_code == 200  # the action's own form, posting the selection back
        page = response.content.decode()
        assert f'name="action" value="{action}"' in page
        for pk in pks:
            assert f'name="_selected_action" value="{pk}"' in page
        response = http.post(_url(model, "changelist"), {**payload, "apply": "yes", **data})
    return response


def test_the_reassign_action_goes_through_the_service(
    world: dict[str, Any], office_admin: User
) -> None:
    client = world["mine"]["client"]
    new_advisor = world["advisor2"]
    http = signed_in(office_admin)
    response = _run_action(
        http, Client, "reassign_advisor", [client.pk], advisor=new_advisor.pk, reason="Urlop"
    )
    assert response.status_code == 302
    current = AdvisorAssignment.objects.get(client=client, ended_at__isnull=True)
    assert current.advisor == new_advisor
    assert current.kind == AssignmentKind.REASSIGNMENT
    assert current.assigned_by == office_admin
    entry = CardEntry.objects.filter(client=client, kind=EntryKind.SYSTEM).first()
    assert entry is not None and "Urlop" in entry.text


def test_the_reassign_action_refuses_without_a_reason_and_changes_nothing(
    world: dict[str, Any], office_admin: User
) -> None:
    client = world["mine"]["client"]
    response = _run_action(
        signed_in(office_admin),
        Client,
        "reassign_advisor",
        [client.pk],
        advisor=world["advisor2"].pk,
        reason="",
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    current = AdvisorAssignment.objects.get(client=client, ended_at__isnull=True)
    assert current.advisor != world["advisor2"]


def test_an_advisor_of_another_office_cannot_be_chosen(
    world: dict[str, Any], office_admin: User, other_office_advisor: User
) -> None:
    client = world["mine"]["client"]
    _run_action(
        signed_in(office_admin),
        Client,
        "reassign_advisor",
        [client.pk],
        advisor=other_office_advisor.pk,
        reason="Urlop",
    )
    current = AdvisorAssignment.objects.get(client=client, ended_at__isnull=True)
    assert current.advisor != other_office_advisor


def test_the_cancel_action_goes_through_the_service(
    world: dict[str, Any], office_admin: User, enrol_new: Any
) -> None:
    activity = make_activity(world["mine"]["activity"].club, capacity=1)
    enrolment = enrol_new(activity, EnrolmentStatus.ENROLLED)
    waiting = enrol_new(activity, EnrolmentStatus.WAITLISTED)
    attended = world["mine"]["enrolment"]  # the service refuses: drop-out, not cancellation
    response = _run_action(
        signed_in(office_admin),
        Enrolment,
        "cancel_enrolments",
        [enrolment.pk, attended.pk],
        reason="Podjął pracę",
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    waiting.refresh_from_db()
    attended.refresh_from_db()
    assert (enrolment.status, enrolment.reason) == (EnrolmentStatus.CANCELLED, "Podjął pracę")
    assert waiting.status == EnrolmentStatus.ENROLLED  # the service promoted the waiting list
    assert CardEntry.objects.filter(client=enrolment.client, text__contains="Podjął pracę").exists()
    assert attended.status == EnrolmentStatus.ENROLLED
    shown = [str(m) for m in response.wsgi_request._messages]  # type: ignore[attr-defined]
    assert any(str(attended) in m for m in shown)


@pytest.fixture
def enrol_new(advisor: User, office: Office) -> Any:
    """``enrol_new(activity, expected_status)``: a new client of the office, enrolled."""
    serials = iter(range(7, 100))

    def make(activity: Activity, status: str) -> Enrolment:
        client = unemployed(advisor, office, "I", serial=next(serials))
        enrolment = club_services.enrol(
            acting_user=advisor, activity=activity, client=client, on=TODAY, justification=WHY
        )
        assert enrolment.status == status
        return enrolment

    return make


def test_a_capacity_change_in_the_admin_goes_through_the_service(
    world: dict[str, Any], office_admin: User, enrol_new: Any
) -> None:
    activity = world["mine"]["activity"]
    waiting = enrol_new(activity, EnrolmentStatus.WAITLISTED)
    http = signed_in(office_admin)
    form = http.get(_url(Activity, "change", activity.pk)).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()} | {"capacity": 2}
    response = http.post(_url(Activity, "change", activity.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    activity.refresh_from_db()
    waiting.refresh_from_db()
    assert activity.capacity == 2
    assert waiting.status == EnrolmentStatus.ENROLLED

    data["capacity"] = 1  # two places are held now
    response = http.post(_url(Activity, "change", activity.pk), data)
    assert response.status_code == 200
    assert "capacity" in response.context["adminform"].form.errors


def test_recomputing_due_items_and_closing_reminders(
    world: dict[str, Any], office_admin: User
) -> None:
    client = world["mine"]["client"]
    kinds = set(DueItem.objects.filter(client=client).values_list("kind", flat=True))
    assert DueKind.CONTACT in kinds
    DueItem.objects.filter(client=client).delete()
    http = signed_in(office_admin)
    _run_action(http, Client, "refresh_due_items", [client.pk])
    assert set(DueItem.objects.filter(client=client).values_list("kind", flat=True)) == kinds

    reminder = Reminder.objects.get(client=client)
    theirs = Reminder.objects.get(client=world["theirs"]["client"])
    _run_action(http, Reminder, "mark_done", [reminder.pk, theirs.pk])
    reminder.refresh_from_db()
    theirs.refresh_from_db()
    assert reminder.done_by == office_admin and reminder.done_at is not None
    assert theirs.done_at is None  # another office's reminder is outside the selection


def test_an_advisor_gets_no_admin_and_no_actions(world: dict[str, Any], advisor: User) -> None:
    response = signed_in(advisor).get(_url(Client, "changelist"))
    assert response.status_code == 302  # not staff: the admin's login page


def _rows(kind: str, office: Office, advisor: User, n: int) -> None:
    if kind == "client":
        for client in ClientFactory.create_batch(n, office=office):
            AdvisorAssignment.objects.create(
                client=client,
                advisor=advisor,
                kind=AssignmentKind.LEAST_CASELOAD,
                assigned_by=advisor,
            )
            CardEntry.objects.create(client=client, kind=EntryKind.SYSTEM, text="x", author=advisor)
    if kind == "enrolment":
        club = JobClub.objects.create(office=office, name="K", place="p", leader=advisor)
        activity = make_activity(club, capacity=100, sessions=0)
        for client in ClientFactory.create_batch(n, office=office):
            Enrolment.objects.create(
                activity=activity,
                client=client,
                status=EnrolmentStatus.ENROLLED,
                enrolled_by=advisor,
            )
            Reminder.objects.create(
                client=client,
                office=office,
                kind=DueKind.CONTACT,
                due_on=TODAY,
                act_by=TODAY,
                stage=ReminderStage.DUE,
                advisor=advisor,
                created_on=TODAY,
            )


@pytest.mark.parametrize("rows", [1, 20])
@pytest.mark.parametrize(
    ("kind", "models_"),
    [
        ("client", [Client, AdvisorAssignment, CardEntry]),
        ("enrolment", [Enrolment, Reminder]),
    ],
)
def test_changelists_have_a_fixed_query_budget(
    rows: int,
    kind: str,
    models_: list[type[models.Model]],
    office: Office,
    advisor: User,
    office_admin: User,
    django_assert_max_num_queries: Any,
) -> None:
    _rows(kind, office, advisor, rows)
    http = signed_in(office_admin)
    http.get(_url(Client, "changelist"))  # session and permissions warmed up
    for model in models_:
        with django_assert_max_num_queries(CHANGELIST_BUDGET):
            response = http.get(_url(model, "changelist"))
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) >= rows


def _sync_beat_schedule() -> None:
    """What beat does at start (DatabaseScheduler.setup_schedule): write the code's entries."""
    for name, entry in celery_app.conf.beat_schedule.items():
        ModelEntry.from_entry(name, app=celery_app, **entry)


def test_the_beat_schedule_is_in_the_admin_for_the_admin_role(office_admin: User) -> None:
    _sync_beat_schedule()
    http = signed_in(office_admin)
    response = http.get(_url(PeriodicTask, "changelist"))
    assert response.status_code == 200
    names = {task.name for task in response.context["cl"].queryset}
    assert set(celery_app.conf.beat_schedule) <= names
    assert 'id="schedule-source"' in response.content.decode()

    heartbeat = PeriodicTask.objects.get(name="record-heartbeat")
    response = http.get(_url(PeriodicTask, "change", heartbeat.pk))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.fields["name"].disabled and form.fields["task"].disabled
    assert not response.context["has_delete_permission"]
    # Pausing is kept by the sync from code.
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data |= {"enabled": "", "interval": heartbeat.interval_id, "name": "renamed"}
    data = {k: v for k, v in data.items() if v is not False}
    response = http.post(_url(PeriodicTask, "change", heartbeat.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    heartbeat.refresh_from_db()
    assert (heartbeat.name, heartbeat.enabled) == ("record-heartbeat", False)
    _sync_beat_schedule()
    heartbeat.refresh_from_db()
    assert not heartbeat.enabled

    for model in (IntervalSchedule, CrontabSchedule):
        assert http.get(_url(model, "add")).status_code == 200


def test_every_changelist_stays_within_the_budget_with_many_rows(
    world: dict[str, Any],
    office: Office,
    advisor: User,
    office_admin: User,
    superuser: User,
    django_assert_max_num_queries: Any,
) -> None:
    _rows("client", office, advisor, 20)
    _rows("enrolment", office, advisor, 20)
    for user in (office_admin, superuser):
        http = signed_in(user)
        http.get(_url(Client, "changelist"))
        for model in REGISTERED:
            if not admin.site._registry[model].has_view_or_change_permission(_request(user)):
                continue
            with django_assert_max_num_queries(CHANGELIST_BUDGET):
                assert http.get(_url(model, "changelist")).status_code == 200
