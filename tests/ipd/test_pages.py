"""The IPD pages at the desk: what the advisor sees and can do, scoping, query budgets."""

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from clients.models import CardEntry, Client, EntryKind
from ipd.models import (
    ActionStatus,
    Contact,
    ContactStatus,
    IndividualActionPlan,
    PlanAction,
    PlanStatus,
)
from labour_office.audit.models import AccessLog
from labour_office.offices.models import User
from profiling.models import Assessment, AssessmentStatus, Trigger
from tests.conftest import signed_in
from tests.ipd.conftest import (
    PROFILED_ON,
    START,
    TODAY,
    days,
    form,
    office_action,
    own_action,
    prepared_plan,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def action_post(code: str, advisor: User, **extra: str) -> dict[str, str]:
    return {
        "office-form": str(form(code).pk),
        "office-description": "Oferty pracy magazyniera w Piasecznie",
        "office-starts_on": str(TODAY),
        "office-ends_on": str(days(TODAY, 30)),
        "office-responsible": str(advisor.pk),
        "office-expected_result": "Dwie rozmowy kwalifikacyjne",
        **extra,
    }


def test_the_client_page_offers_to_prepare_the_plan_by_the_deadline(
    advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    client = make_client("II")
    response = advisor_client.get(reverse("client_detail", args=[client.pk]))
    html = response.content.decode()
    assert reverse("ipd:prepare", args=[client.pk]) in html
    # Profile of 2 November 2026: due on 1 January 2027, a holiday; act by 31 December.
    assert "01.01.2027" in html and "31.12.2026" in html


def test_preparing_opens_the_editor_with_the_profile_maximum(
    advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    client = make_client("I")
    response = advisor_client.post(reverse("ipd:prepare", args=[client.pk]))
    plan = IndividualActionPlan.objects.get(client=client)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    page = advisor_client.get(plan.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert plan.status == PlanStatus.DRAFT and plan.max_end == days(TODAY, 180)
    assert 'max="' + str(plan.max_end) + '"' in html
    assert reverse("ipd:action_add", args=[plan.pk, "office"]) in html
    assert AccessLog.objects.filter(user__username="doradca", object_id=str(client.pk)).exists()


def test_an_action_is_added_without_reloading_the_page(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    plan = prepared_plan(advisor, make_client("II"), on=TODAY, actions=[], agree=False)
    response = advisor_client.post(
        reverse("ipd:action_add", args=[plan.pk, "office"]),
        action_post("job_placement", advisor),
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="actions"') or 'id="actions"' in html[:200]
    assert "<html" not in html  # the section only
    assert "Oferty pracy magazyniera w Piasecznie" in html
    assert plan.actions.get().form == form("job_placement")


def test_a_form_the_profile_does_not_allow_is_refused_and_the_typing_kept(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    plan = prepared_plan(advisor, make_client("I"), on=TODAY, actions=[], agree=False)
    # Training chosen by the unemployed person is for profile II only.
    response = advisor_client.post(
        reverse("ipd:action_add", args=[plan.pk, "office"]),
        action_post("training_indicated", advisor),
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not plan.actions.exists()
    assert "is-invalid" in html
    assert "Oferty pracy magazyniera w Piasecznie" in html  # nothing typed is lost


def test_a_justified_form_asks_for_the_justification(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    plan = prepared_plan(advisor, make_client("I"), on=TODAY, actions=[], agree=False)
    url = reverse("ipd:action_add", args=[plan.pk, "office"])
    refused = advisor_client.post(url, action_post("vocational_counselling", advisor), **HTMX)
    assert not plan.actions.exists()
    assert "justified" in refused.content.decode() or "uzasadn" in refused.content.decode()
    advisor_client.post(
        url,
        action_post("vocational_counselling", advisor, **{"office-justification": "Zmiana zawodu"}),
        **HTMX,
    )
    assert plan.actions.get().justification == "Zmiana zawodu"


def test_own_actions_are_added_and_reordered(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    plan = prepared_plan(advisor, make_client("II"), on=TODAY, actions=[], agree=False)
    url = reverse("ipd:action_add", args=[plan.pk, "own"])
    for text in ("Aplikuje na 4 oferty miesięcznie", "Odnawia uprawnienia UDT"):
        advisor_client.post(
            url,
            {
                "own-description": text,
                "own-starts_on": str(TODAY),
                "own-ends_on": str(days(TODAY, 60)),
            },
            **HTMX,
        )
    second = plan.actions.get(description="Odnawia uprawnienia UDT")
    response = advisor_client.post(reverse("ipd:action_move", args=[second.pk, "up"]), **HTMX)
    assert response.status_code == 200
    assert [a.description for a in plan.actions.order_by("position")] == [
        "Odnawia uprawnienia UDT",
        "Aplikuje na 4 oferty miesięcznie",
    ]


def test_agreement_puts_the_plan_in_force_and_a_late_plan_needs_its_reason(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    # Profile of 2 August 2026: the plan was due on 1 October 2026.
    client = make_client("II", profiled_on=date(2026, 8, 2))
    plan = prepared_plan(advisor, client, on=TODAY, agree=False)
    url = reverse("ipd:agree", args=[plan.pk])
    refused = advisor_client.post(url, {"prepared_on": str(TODAY), "outcome": "agreed"})
    assert refused.status_code == 200 and "01.10.2026" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    response = advisor_client.post(
        url,
        {
            "prepared_on": str(TODAY),
            "outcome": "agreed",
            "late_reason": "Klient przebywał w szpitalu od sierpnia",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE and plan.version == 1
    assert plan.late_reason == "Klient przebywał w szpitalu od sierpnia"


def test_a_refusal_is_recorded_with_what_the_client_said(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    plan = prepared_plan(advisor, make_client("II"), on=TODAY, agree=False)
    url = reverse("ipd:agree", args=[plan.pk])
    advisor_client.post(url, {"prepared_on": str(TODAY), "outcome": "refused"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    advisor_client.post(
        url,
        {"prepared_on": str(TODAY), "outcome": "refused", "refusal_note": "Nie zgadza się"},
    )
    plan.refresh_from_db()
    assert plan.client_refused and plan.refusal_note == "Nie zgadza się"
    page = advisor_client.get(plan.get_absolute_url()).content.decode()
    assert "Nie zgadza się" in page


def test_action_status_is_recorded_at_the_desk_and_in_the_journal(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    plan = prepared_plan(advisor, make_client("II"))
    action = plan.actions.filter(kind="office").get()
    url = reverse("ipd:action_status", args=[action.pk])
    advisor_client.post(url, {"status": "not_done"}, **HTMX)
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED  # a reason is required
    response = advisor_client.post(url, {"status": "done"}, **HTMX)
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert CardEntry.objects.filter(
        client=plan.client, kind=EntryKind.ADVISOR_ACTION, text__contains=action.description
    ).exists()


def test_a_contact_moves_the_next_due_date_and_a_missed_one_does_not(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    plan = prepared_plan(advisor, make_client("II"))
    url = reverse("ipd:contact_add", args=[plan.pk])
    base = {"contact-channel": "phone", "contact-staff": str(advisor.pk)}
    advisor_client.post(
        url, {**base, "contact-status": "missed", "contact-contact_on": str(days(START, 10))}
    )
    page = advisor_client.get(plan.get_absolute_url()).content.decode()
    assert "02.01.2027" in page  # agreed on 3 November + 60 days
    advisor_client.post(
        url,
        {
            **base,
            "contact-status": "held",
            "contact-contact_on": str(days(START, 15)),
            "contact-outcome": "Dwie rozmowy umówione",
        },
    )
    page = advisor_client.get(plan.get_absolute_url()).content.decode()
    assert "17.01.2027" in page  # 18 November + 60 days
    assert plan.contacts.filter(status=ContactStatus.MISSED).count() == 1
    assert CardEntry.objects.filter(client=plan.client, kind=EntryKind.CONTACT).count() == 2


def test_a_contact_in_the_future_is_refused_with_the_form_kept(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    plan = prepared_plan(advisor, make_client("II"))
    response = advisor_client.post(
        reverse("ipd:contact_add", args=[plan.pk]),
        {
            "contact-status": "held",
            "contact-contact_on": str(days(TODAY, 3)),
            "contact-channel": "phone",
            "contact-staff": str(advisor.pk),
            "contact-outcome": "Zapisane słowa",
        },
    )
    assert response.status_code == 200
    assert not Contact.objects.filter(plan=plan).exists()
    assert "Zapisane słowa" in response.content.decode()


def test_a_planned_contact_is_recorded_later(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    plan = prepared_plan(advisor, make_client("II"))
    advisor_client.post(
        reverse("ipd:contact_add", args=[plan.pk]),
        {
            "contact-status": "planned",
            "contact-contact_on": str(days(TODAY, 7)),
            "contact-channel": "in_person",
            "contact-staff": str(advisor.pk),
        },
    )
    contact = plan.contacts.get()
    assert contact.status == ContactStatus.PLANNED
    assert advisor_client.get(reverse("ipd:contact_record", args=[contact.pk])).status_code == 200


def test_an_amendment_makes_a_new_version_and_shows_what_changed(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    plan = prepared_plan(advisor, make_client("II"))
    # Agreed plans cannot be edited until an amendment starts.
    add_url = reverse("ipd:action_add", args=[plan.pk, "office"])
    advisor_client.post(add_url, action_post("training_indicated", advisor), **HTMX)
    assert plan.actions.count() == 2
    advisor_client.post(reverse("ipd:amend", args=[plan.pk]))
    advisor_client.post(add_url, action_post("training_indicated", advisor), **HTMX)
    assert plan.actions.count() == 3
    response = advisor_client.post(
        reverse("ipd:amend_agree", args=[plan.pk]),
        {"reason": "Klient chce zdobyć uprawnienia", "agreed_on": str(TODAY)},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.version == 2 and not plan.amending
    version_page = advisor_client.get(reverse("ipd:version", args=[plan.pk, 2])).content.decode()
    assert "Klient chce zdobyć uprawnienia" in version_page
    assert form("training_indicated").name_pl in version_page
    first = advisor_client.get(reverse("ipd:version", args=[plan.pk, 1])).content.decode()
    assert "Oferty pracy magazyniera" not in first


def test_the_end_date_cannot_pass_the_maximum(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    plan = prepared_plan(advisor, make_client("I"), on=TODAY, agree=False)
    response = advisor_client.post(
        reverse("ipd:update", args=[plan.pk]),
        {
            "goals": "Kierowca kat. C",
            "starts_on": str(TODAY),
            "ends_on": str(days(TODAY, 181)),
        },
    )
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    plan.refresh_from_db()
    assert plan.ends_on == days(TODAY, 180)


def test_ending_without_work_lands_on_reprofiling(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    plan = prepared_plan(advisor, make_client("II"))
    url = reverse("ipd:end", args=[plan.pk])
    refused = advisor_client.post(url, {"ended_on": str(TODAY), "reason": "other"})
    assert refused.status_code == 200
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE  # the analysis is required
    response = advisor_client.post(
        url,
        {"ended_on": str(TODAY), "reason": "other", "analysis": "Brak ofert w zawodzie"},
    )
    draft = Assessment.objects.get(client=plan.client, status=AssessmentStatus.DRAFT)
    assert draft.trigger == Trigger.IPD_ENDED
    assert response["Location"] == reverse("assessment_interview", args=[draft.pk])
    client_page = advisor_client.get(reverse("client_detail", args=[plan.client_id]))
    assert reverse("ipd:prepare", args=[plan.client_id]) not in client_page.content.decode()


def test_ending_with_work_needs_no_analysis(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    plan = prepared_plan(advisor, make_client("II"))
    response = advisor_client.post(
        reverse("ipd:end", args=[plan.pk]), {"ended_on": str(TODAY), "reason": "work"}
    )
    assert response["Location"] == plan.get_absolute_url()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ENDED and plan.end_reason == "work"


def test_the_pdf_prints_in_the_clients_language(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    client = make_client("II")
    Client.objects.filter(pk=client.pk).update(document_language="uk")
    plan = prepared_plan(advisor, client)
    response = advisor_client.get(reverse("ipd:pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"ipd-{plan.pk}-uk.pdf" in response["Content-Disposition"]
    assert AccessLog.objects.filter(action="print", object_id=str(client.pk)).exists()


def test_every_plan_page_answers_404_to_another_office(
    advisor: User, other_office_advisor: User, make_client: Callable[..., Client]
) -> None:
    plan = prepared_plan(advisor, make_client("II"))
    action = plan.actions.first()
    assert action is not None
    contact = Contact.objects.create(
        plan=plan,
        status=ContactStatus.PLANNED,
        contact_on=days(TODAY, 3),
        channel="phone",
        staff=advisor,
        recorded_by=advisor,
    )
    http = signed_in(other_office_advisor)
    gets = [
        reverse("ipd:plan", args=[plan.pk]),
        reverse("ipd:agree", args=[plan.pk]),
        reverse("ipd:amend_agree", args=[plan.pk]),
        reverse("ipd:end", args=[plan.pk]),
        reverse("ipd:pdf", args=[plan.pk]),
        reverse("ipd:version", args=[plan.pk, 1]),
        reverse("ipd:action_edit", args=[action.pk]),
        reverse("ipd:contact_record", args=[contact.pk]),
    ]
    posts = [
        reverse("ipd:prepare", args=[plan.client_id]),
        reverse("ipd:update", args=[plan.pk]),
        reverse("ipd:action_add", args=[plan.pk, "own"]),
        reverse("ipd:action_remove", args=[action.pk]),
        reverse("ipd:action_move", args=[action.pk, "up"]),
        reverse("ipd:action_status", args=[action.pk]),
        reverse("ipd:amend", args=[plan.pk]),
        reverse("ipd:contact_add", args=[plan.pk]),
        reverse("ipd:end", args=[plan.pk]),
    ]
    for url in gets:
        assert http.get(url).status_code == 404, url
    for url in posts:
        assert http.post(url, {"status": "done"}).status_code == 404, url
    assert PlanAction.objects.filter(pk=action.pk, status="planned").exists()


def test_plan_pages_need_a_login(advisor: User, make_client: Callable[..., Client]) -> None:
    plan = prepared_plan(advisor, make_client("II"))
    response = HttpClient().get(reverse("ipd:plan", args=[plan.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _grow(advisor: User, plan: IndividualActionPlan, n: int) -> None:
    for i in range(n):
        from ipd import services

        services.contact_add(
            acting_user=advisor,
            plan=plan,
            status=ContactStatus.HELD,
            contact_on=days(START, 1 + i),
            channel="phone",
            staff=advisor,
            outcome=f"Rozmowa {i}",
        )


@pytest.mark.parametrize("size", [1, 12])
def test_the_plan_page_has_a_fixed_query_budget(
    size: int,
    advisor: User,
    advisor_client: HttpClient,
    make_client: Callable[..., Client],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    actions = [office_action("job_placement", advisor, starts_on=START) for _ in range(size)]
    actions += [own_action(starts_on=START) for _ in range(size)]
    plan = prepared_plan(advisor, make_client("II"), actions=actions)
    _grow(advisor, plan, size)
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        assert advisor_client.get(plan.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_the_editor_and_the_client_page_have_fixed_query_budgets(
    size: int,
    advisor: User,
    advisor_client: HttpClient,
    make_client: Callable[..., Client],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    actions = [office_action("job_placement", advisor, starts_on=TODAY) for _ in range(size)]
    plan = prepared_plan(advisor, make_client("II"), on=TODAY, actions=actions, agree=False)
    with django_assert_max_num_queries(28):  # type: ignore[operator]
        assert advisor_client.get(plan.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(45):  # type: ignore[operator]
        response = advisor_client.get(reverse("client_detail", args=[plan.client_id]))
        assert response.status_code == 200
    # The catalogue rule is read twice: for the form's choices and again in the service.
    with django_assert_max_num_queries(36):  # type: ignore[operator]
        response = advisor_client.post(
            reverse("ipd:action_add", args=[plan.pk, "office"]),
            action_post("job_placement", advisor),
            **HTMX,
        )
        assert response.status_code == 200


def test_the_prepare_button_uses_the_previous_plan(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    client = make_client("II", profiled_on=PROFILED_ON)
    plan = prepared_plan(advisor, client)
    advisor_client.post(
        reverse("ipd:end", args=[plan.pk]), {"ended_on": str(TODAY), "reason": "work"}
    )
    html = advisor_client.get(reverse("client_detail", args=[client.pk])).content.decode()
    assert f'name="from" value="{plan.pk}"' in html
    advisor_client.post(reverse("ipd:prepare", args=[client.pk]), {"from": str(plan.pk)})
    new = IndividualActionPlan.objects.filter(client=client).exclude(pk=plan.pk).get()
    assert new.based_on == plan and new.goals == plan.goals
    assert new.actions.count() == plan.actions.count()


def test_a_profile_determined_again_during_the_plan_is_pointed_out(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    from tests.ipd.conftest import determine_profile

    plan = prepared_plan(advisor, make_client("II"))
    determine_profile(advisor, plan.client, "III", TODAY)
    html = advisor_client.get(plan.get_absolute_url()).content.decode()
    assert "profile III" in html or "profil III" in html
    assert "23.11.2026" in html


@pytest.mark.parametrize("size", [1, 10])
def test_the_other_plan_pages_have_fixed_query_budgets(
    size: int,
    advisor: User,
    advisor_client: HttpClient,
    make_client: Callable[..., Client],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    from ipd import services

    actions = [office_action("job_placement", advisor, starts_on=START) for _ in range(size)]
    plan = prepared_plan(advisor, make_client("II"), actions=actions)
    _grow(advisor, plan, size)
    planned = services.contact_add(
        acting_user=advisor,
        plan=plan,
        status=ContactStatus.PLANNED,
        contact_on=days(TODAY, 5),
        channel="phone",
        staff=advisor,
    )
    services.plan_amend_start(acting_user=advisor, plan=plan)
    today_actions = [office_action("job_placement", advisor, starts_on=TODAY)] * size
    draft = prepared_plan(advisor, make_client("II"), on=TODAY, actions=today_actions, agree=False)
    action = plan.actions.first()
    assert action is not None
    pages = [
        (reverse("ipd:agree", args=[draft.pk]), 22),
        (reverse("ipd:amend_agree", args=[plan.pk]), 22),
        (reverse("ipd:end", args=[plan.pk]), 22),
        (reverse("ipd:version", args=[plan.pk, 1]), 16),
        (reverse("ipd:contact_record", args=[planned.pk]), 16),
        (reverse("ipd:action_edit", args=[action.pk]), 24),
        (reverse("ipd:pdf", args=[plan.pk]), 22),
    ]
    for url, budget in pages:
        with django_assert_max_num_queries(budget):  # type: ignore[operator]
            assert advisor_client.get(url).status_code == 200, url


def test_a_malformed_previous_plan_is_not_found(
    advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    client = make_client("II")
    url = reverse("ipd:prepare", args=[client.pk])
    assert advisor_client.post(url, {"from": "abc"}).status_code == 404
    assert advisor_client.post(url, {"from": "999999"}).status_code == 404
    assert not IndividualActionPlan.objects.filter(client=client).exists()


def test_goals_that_look_like_a_date_do_not_break_the_versions(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    from ipd import services

    plan = prepared_plan(advisor, make_client("II"))
    services.plan_amend_start(acting_user=advisor, plan=plan)
    services.plan_update(
        acting_user=advisor,
        plan=plan,
        data={"goals": "abcd-ef-gh", "starts_on": plan.starts_on, "ends_on": plan.ends_on},
    )
    assert advisor_client.get(plan.get_absolute_url()).status_code == 200
    services.plan_amend_agree(acting_user=advisor, plan=plan, reason="Nowy cel", agreed_on=TODAY)
    assert advisor_client.get(plan.get_absolute_url()).status_code == 200
    assert advisor_client.get(reverse("ipd:version", args=[plan.pk, 2])).status_code == 200


def test_a_rejected_inline_edit_replaces_only_its_row(
    advisor: User, advisor_client: HttpClient, make_client: Callable[..., Client]
) -> None:
    plan = prepared_plan(advisor, make_client("II"), on=TODAY, agree=False)
    action = plan.actions.filter(kind="own").get()
    response = advisor_client.post(
        reverse("ipd:action_edit", args=[action.pk]),
        {"edit-description": "", "edit-starts_on": str(TODAY), "edit-ends_on": str(TODAY)},
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#action-{action.pk}"
