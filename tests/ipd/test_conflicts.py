"""Two advisors editing the same IPD at once: no silent lost update (issue 11).

Each test signs in two advisors of the office (two test clients), lets both load the same form,
saves the first one's and then the second one's: the second answers with the conflict message
and the other person's version, saves nothing, and keeps what the second advisor typed in the
form, now carrying the new revision, so saving again (knowingly) works. The last test is a
real race: two transactions at once, one wins, the other gets the conflict.
"""

import re
from collections.abc import Callable
from html import unescape

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from clients.models import Client
from ipd import services
from ipd.conflicts import EditConflict
from ipd.models import (
    ActionStatus,
    Contact,
    ContactStatus,
    IndividualActionPlan,
    PlanAction,
    PlanStatus,
)
from labour_office.offices.models import Office, Role, User
from tests.concurrency import pause_after, race
from tests.conftest import signed_in
from tests.factories import UserFactory
from tests.ipd.conftest import START, TODAY, days, own_action, prepared_plan

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
CONFLICT = 'id="edit-conflict"'


@pytest.fixture
def colleague(office: Office) -> User:
    """A second advisor of the same office, who edits the same plan at the same time."""
    return UserFactory(
        username="doradca2",
        first_name="Piotr",
        last_name="Zieliński",
        office=office,
        role=Role.ADVISOR,
    )


@pytest.fixture
def colleague_client(colleague: User) -> HttpClient:
    return signed_in(colleague)


def revision_in(html: str, name: str = "revision") -> int:
    """The revision a page's form carries (its hidden field)."""
    found = re.search(rf'name="{re.escape(name)}" value="(\d+)"', html)
    assert found is not None, html
    return int(found.group(1))


def conflict_box(html: str) -> str:
    start = html.index(CONFLICT)
    return unescape(html[start : html.index("</div>", start)])


def plan_post(
    revision: int, goals: str, plan: IndividualActionPlan, **extra: str
) -> dict[str, str]:
    return {
        "revision": str(revision),
        "goals": goals,
        "starts_on": str(plan.starts_on),
        "ends_on": str(plan.ends_on),
        "contact_arrangements": "",
        **extra,
    }


def test_the_second_save_of_the_plan_form_answers_with_a_conflict_and_keeps_both_versions(
    advisor: User,
    advisor_client: HttpClient,
    colleague_client: HttpClient,
    make_client: Callable[..., Client],
) -> None:
    plan = prepared_plan(advisor, make_client("I"), agree=False)
    url = reverse("ipd:plan", args=[plan.pk])
    mine = revision_in(advisor_client.get(url).content.decode())
    theirs = revision_in(colleague_client.get(url).content.decode())
    assert mine == theirs == plan.revision

    first = advisor_client.post(
        reverse("ipd:update", args=[plan.pk]),
        plan_post(mine, "Magazynier w Piasecznie", plan, contact_arrangements="Co 30 dni"),
    )
    assert first.status_code == 302
    second = colleague_client.post(
        reverse("ipd:update", args=[plan.pk]), plan_post(theirs, "Kierowca kat. C", plan)
    )

    assert second.status_code == 200
    html = second.content.decode()
    box = conflict_box(html)
    assert "Anna Kowalska" in box  # who changed it
    assert "Magazynier w Piasecznie" in box and "Co 30 dni" in box  # their version shown
    # The first advisor's data is intact; nothing of the second one's was saved.
    plan.refresh_from_db()
    assert (plan.goals, plan.contact_arrangements) == ("Magazynier w Piasecznie", "Co 30 dni")
    # The second advisor's input is still in the form, which now carries the new revision.
    assert re.search(r"<textarea[^>]*name=\"goals\"[^>]*>\s*Kierowca kat. C</textarea>", html)
    assert revision_in(html) == plan.revision

    # Having seen the other version, saving again is a decision: it goes through.
    again = colleague_client.post(
        reverse("ipd:update", args=[plan.pk]), plan_post(plan.revision, "Kierowca kat. C", plan)
    )
    assert again.status_code == 302
    plan.refresh_from_db()
    assert plan.goals == "Kierowca kat. C" and plan.contact_arrangements == ""


def test_sequential_edits_of_the_same_form_do_not_conflict(
    advisor: User,
    advisor_client: HttpClient,
    colleague_client: HttpClient,
    make_client: Callable[..., Client],
) -> None:
    plan = prepared_plan(advisor, make_client("I"), agree=False)
    url = reverse("ipd:plan", args=[plan.pk])
    update = reverse("ipd:update", args=[plan.pk])
    for http, goals in ((advisor_client, "Magazynier"), (colleague_client, "Kierowca")):
        revision = revision_in(http.get(url).content.decode())  # each loads the saved plan
        response = http.post(update, plan_post(revision, goals, plan))
        assert response.status_code == 302, response.content.decode()
        plan.refresh_from_db()
        assert plan.goals == goals
    # A post without a revision (an old page, a script) is saved as before.
    assert (
        advisor_client.post(update, {**plan_post(0, "Spawacz", plan), "revision": ""}).status_code
        == 302
    )
    plan.refresh_from_db()
    assert plan.goals == "Spawacz"


def action_edit_post(action: PlanAction, revision: int, description: str) -> dict[str, str]:
    return {
        "edit-revision": str(revision),
        "edit-description": description,
        "edit-starts_on": str(action.starts_on),
        "edit-ends_on": str(action.ends_on),
        "edit-expected_result": "",
    }


def test_editing_an_action_someone_else_just_changed_answers_with_a_conflict(
    advisor: User,
    advisor_client: HttpClient,
    colleague_client: HttpClient,
    make_client: Callable[..., Client],
) -> None:
    plan = prepared_plan(
        advisor, make_client("I"), agree=False, actions=[own_action("Składa 4 aplikacje")]
    )
    action = plan.actions.get()
    url = reverse("ipd:action_edit", args=[action.pk])
    mine = revision_in(advisor_client.get(url, **HTMX).content.decode(), "edit-revision")
    theirs = revision_in(colleague_client.get(url, **HTMX).content.decode(), "edit-revision")

    assert advisor_client.post(url, action_edit_post(action, mine, "Składa 6 aplikacji"), **HTMX)
    second = colleague_client.post(
        url, action_edit_post(action, theirs, "Idzie na targi pracy"), **HTMX
    )

    assert second.status_code == 200
    # The row's form replaces only that row, as a rejected form does.
    assert second["HX-Retarget"] == f"#action-{action.pk}"
    html = second.content.decode()
    assert "Anna Kowalska" in conflict_box(html)
    assert "Składa 6 aplikacji" in conflict_box(html)
    assert "Idzie na targi pracy" in html
    action.refresh_from_db()
    assert action.description == "Składa 6 aplikacji"
    assert revision_in(html, "edit-revision") == action.revision


def test_a_stale_status_button_does_not_overwrite_the_status_someone_else_set(
    advisor: User,
    advisor_client: HttpClient,
    colleague_client: HttpClient,
    make_client: Callable[..., Client],
) -> None:
    plan = prepared_plan(advisor, make_client("I"))
    action = plan.actions.order_by("pk").first()
    assert action is not None
    page = reverse("ipd:plan", args=[plan.pk])
    assert (
        f'name="revision" value="{action.revision}"' in colleague_client.get(page).content.decode()
    )
    url = reverse("ipd:action_status", args=[action.pk])

    done = advisor_client.post(url, {"status": "done", "revision": str(action.revision)}, **HTMX)
    assert done.status_code == 200
    stale = colleague_client.post(
        url,
        {
            "status": "not_done",
            "status_reason": "Klient zachorował",
            "revision": str(action.revision),
        },
        **HTMX,
    )

    assert stale.status_code == 200
    html = stale.content.decode()
    assert 'role="alert"' in html and "Anna Kowalska" in html
    action.refresh_from_db()
    assert (action.status, action.status_reason) == (ActionStatus.DONE, "")
    # The section shows the action as done now; the reason typed is not lost.
    assert "Klient zachorował" in html


def test_removing_an_action_someone_else_just_changed_keeps_it(
    advisor: User,
    advisor_client: HttpClient,
    colleague_client: HttpClient,
    make_client: Callable[..., Client],
) -> None:
    plan = prepared_plan(advisor, make_client("I"), agree=False, actions=[own_action()])
    action = plan.actions.get()
    shown = action.revision
    services.action_update(
        acting_user=advisor,
        action=action,
        data=own_action("Składa 6 aplikacji"),
        on=TODAY,
        revision=shown,
    )
    response = colleague_client.post(
        reverse("ipd:action_remove", args=[action.pk]), {"revision": str(shown)}, **HTMX
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert PlanAction.objects.filter(pk=action.pk, description="Składa 6 aplikacji").exists()
    # Shown the current version, the removal goes through.
    action.refresh_from_db()
    colleague_client.post(
        reverse("ipd:action_remove", args=[action.pk]), {"revision": str(action.revision)}, **HTMX
    )
    assert not PlanAction.objects.filter(pk=action.pk).exists()


def test_recording_a_contact_someone_else_just_recorded_answers_with_a_conflict(
    advisor: User,
    advisor_client: HttpClient,
    colleague_client: HttpClient,
    make_client: Callable[..., Client],
) -> None:
    plan = prepared_plan(advisor, make_client("I"), on=START)
    contact = services.contact_add(
        acting_user=advisor,
        plan=plan,
        status=ContactStatus.PLANNED,
        contact_on=TODAY,
        channel="in_person",
        staff=advisor,
    )
    url = reverse("ipd:contact_record", args=[contact.pk])
    mine = revision_in(advisor_client.get(url).content.decode())
    theirs = revision_in(colleague_client.get(url).content.decode())
    base = {"contact_on": str(TODAY), "channel": "in_person"}

    first = advisor_client.post(
        url, {**base, "status": "held", "outcome": "Dwie oferty", "revision": str(mine)}
    )
    assert first.status_code == 302
    second = colleague_client.post(
        url, {**base, "status": "missed", "note": "Nie przyszedł?", "revision": str(theirs)}
    )

    assert second.status_code == 200
    html = second.content.decode()
    box = conflict_box(html)
    assert "Anna Kowalska" in box and "Dwie oferty" in box
    assert "Nie przyszedł?" in html
    contact.refresh_from_db()
    assert (contact.status, contact.outcome, contact.note) == (
        ContactStatus.HELD,
        "Dwie oferty",
        "",
    )
    assert Contact.objects.filter(plan=plan).count() == 1


def test_ending_a_plan_someone_else_just_ended_answers_with_a_conflict(
    advisor: User,
    advisor_client: HttpClient,
    colleague_client: HttpClient,
    make_client: Callable[..., Client],
) -> None:
    plan = prepared_plan(advisor, make_client("I"))
    url = reverse("ipd:end", args=[plan.pk])
    mine = revision_in(advisor_client.get(url).content.decode())
    theirs = revision_in(colleague_client.get(url).content.decode())

    first = advisor_client.post(
        url, {"ended_on": str(TODAY), "reason": "work", "revision": str(mine)}
    )
    assert first.status_code == 302
    second = colleague_client.post(
        url,
        {
            "ended_on": str(TODAY),
            "reason": "other",
            "analysis": "Klient wyjechał za granicę",
            "revision": str(theirs),
        },
    )

    assert second.status_code == 200
    html = second.content.decode()
    assert "Anna Kowalska" in conflict_box(html)
    assert "Klient wyjechał za granicę" in html
    plan.refresh_from_db()
    assert (plan.status, plan.end_reason, plan.end_analysis) == (PlanStatus.ENDED, "work", "")


@pytest.mark.django_db(transaction=True)
def test_two_saves_from_the_same_revision_at_once_one_wins_the_other_conflicts(
    advisor: User, office: Office, client_i: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check runs under the plan's row lock: the second transaction waits for the first
    and then sees its revision, never both passing the check."""
    colleague = UserFactory(office=office, role=Role.ADVISOR)
    plan = prepared_plan(advisor, client_i, agree=False)
    shown = plan.revision
    pause_after(monkeypatch, services, "check_revision")

    def save(user: User, goals: str) -> IndividualActionPlan:
        data = {"goals": goals, "starts_on": plan.starts_on, "ends_on": days(plan.ends_on, -1)}
        return services.plan_update(acting_user=user, plan=plan, data=data, revision=shown)

    results = race(lambda: save(advisor, "Magazynier"), lambda: save(colleague, "Kierowca"))

    winners = [r for r in results if isinstance(r, IndividualActionPlan)]
    assert len(winners) == 1, results
    assert len([r for r in results if isinstance(r, EditConflict)]) == 1, results
    plan.refresh_from_db()
    assert plan.goals == winners[0].goals
    assert plan.revision == shown + 1
