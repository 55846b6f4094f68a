"""Clients and plans for the IPD tests, built through the real services (registration, the
profiling interview and decision, preparing and agreeing a plan), so the tests run against the
same rows and the same constraints as the application."""

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from clients import services as client_services
from clients.models import Client, JobseekerCategory, Status
from ipd import services
from ipd.models import ActionKind, IndividualActionPlan
from labour_office.offices.models import Office, User
from profiling import services as profiling_services
from profiling.models import Assessment, FormOfAssistance
from tests.clients_web.conftest import make_pesel, register
from tests.profiling.test_assessments import interview
from tests.profiling.test_rules import A

WARSAW = ZoneInfo("Europe/Warsaw")
TODAY = date(2026, 11, 23)  # a Monday: "today" in every IPD test unless a test travels on
REGISTERED_ON = date(2026, 10, 1)
PROFILED_ON = date(2026, 11, 2)  # the preparation term runs until 2027-01-01
START = date(2026, 11, 3)  # plans start (and are agreed) the day after the profile
MAX_DAYS = {"I": 180, "II": 540, "III": 720}
# The office action each profile can get without a justification or a special programme.
PLAIN_FORM = {"I": "job_placement", "II": "job_placement", "III": "agency_contract", "": ""}

# The card of example A of questionnaire.md (with the interview of example A the proposal is I).
CARD_A: dict[str, Any] = {
    "education_level": "higher",
    "work_experience_months": 36,
    "language_level": "good",
    "last_work_ended_on": date(2026, 7, 20),
    "licences": "wózki widłowe",
    "licences_relevant": False,
}


def travel(day: date) -> Any:
    """Make ``day`` today (10:00 in Warsaw) for the services' date checks."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, 0, tzinfo=WARSAW))


@pytest.fixture(autouse=True)
def today() -> Iterator[None]:
    with travel(TODAY):
        yield


def days(start: date, n: int) -> date:
    return start + timedelta(days=n)


def form(code: str) -> FormOfAssistance:
    return FormOfAssistance.objects.get(code=code)


def determine_profile(advisor: User, client: Client, profile: str, on: date) -> Assessment:
    """Interview the client (answers of example A), then set ``profile`` as the final one,
    with a justification when it differs from the proposal."""
    draft = profiling_services.assessment_start(acting_user=advisor, client=client)
    draft = profiling_services.assessment_save(
        acting_user=advisor, assessment=draft, interview_answers=interview(A)
    )
    proposed = profiling_services.assessment_result(draft, on).profile
    return profiling_services.assessment_decide(
        acting_user=advisor,
        assessment=draft,
        final_profile=profile,
        justification="" if profile == proposed else "Opiekuje się chorą matką.",
        on=on,
    )


def unemployed(
    advisor: User,
    office: Office,
    profile: str | None = "I",
    *,
    serial: int = 1,
    profiled_on: date = PROFILED_ON,
) -> Client:
    """A client of ``office`` registered as unemployed, their card complete, with ``profile``
    determined on ``profiled_on`` (None: not profiled yet)."""
    client = register(
        advisor,
        office,
        "Anna",
        f"Planowa{serial}",
        make_pesel(date(1998, 3, 10), serial, True),
        registered_on=REGISTERED_ON,
    )
    client_services.client_update(
        acting_user=advisor, client=client, card=CARD_A, pesel=client.pesel
    )
    if profile is not None:
        determine_profile(advisor, client, profile, profiled_on)
    return Client.objects.get(pk=client.pk)


@pytest.fixture
def make_client(advisor: User, office: Office) -> Callable[..., Client]:
    """``make_client("II")``: a new unemployed client of ``office`` with profile II."""
    serials = iter(range(1, 1000))

    def make(profile: str | None = "I", **kwargs: Any) -> Client:
        return unemployed(advisor, office, profile, serial=next(serials), **kwargs)

    return make


@pytest.fixture
def client_i(make_client: Callable[..., Client]) -> Client:
    """An unemployed client with profile I (determined on PROFILED_ON)."""
    return make_client("I")


@pytest.fixture
def jobseeker(advisor: User, office: Office) -> Client:
    """A jobseeker (no profile) of ``office``."""
    return client_services.client_register(
        acting_user=advisor,
        office=office,
        card={
            "first_name": "Ola",
            "last_name": "Szukająca",
            "city": "Piaseczno",
            "education_level": "higher",
        },
        pesel=make_pesel(date(1990, 6, 6), 8, True),
        birth_date=None,
        sex=None,
        status=Status.JOBSEEKER,
        jobseeker_category=JobseekerCategory.objects.get(code="other"),
        registered_on=REGISTERED_ON,
    )


def office_action(
    code: str,
    responsible: User,
    starts_on: date = START,
    ends_on: date | None = None,
    description: str = "",
    **kwargs: Any,
) -> services.ActionData:
    return services.ActionData(
        kind=ActionKind.OFFICE,
        form=form(code),
        description=description or f"Działanie {code}",
        starts_on=starts_on,
        ends_on=ends_on or days(starts_on, 60),
        responsible=responsible,
        **kwargs,
    )


def own_action(
    description: str = "Składa 4 aplikacje miesięcznie",
    starts_on: date = START,
    ends_on: date | None = None,
) -> services.ActionData:
    return services.ActionData(
        kind=ActionKind.OWN,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on or days(starts_on, 90),
    )


def prepared_plan(
    advisor: User,
    client: Client,
    *,
    on: date = START,
    actions: Sequence[services.ActionData] | None = None,
    agree: bool = True,
    goals: str = "Magazynier, Piaseczno, pełny etat",
) -> IndividualActionPlan:
    """Prepare a plan starting ``on`` with ``actions`` (default: the plain office action of
    the client's profile and an own action), and agree it with the client on that day."""
    plan = services.plan_prepare(acting_user=advisor, client=client, on=on)
    plan = services.plan_update(
        acting_user=advisor,
        plan=plan,
        data={"goals": goals, "starts_on": plan.starts_on, "ends_on": plan.ends_on},
    )
    if actions is None:
        code = PLAIN_FORM[plan.profile] or "job_placement"
        actions = [office_action(code, advisor, starts_on=on), own_action(starts_on=on)]
    for data in actions:
        services.action_add(acting_user=advisor, plan=plan, data=data, on=on)
    if agree:
        plan = services.plan_agree(acting_user=advisor, plan=plan, prepared_on=on, agreed=True)
    plan.refresh_from_db()
    return plan
