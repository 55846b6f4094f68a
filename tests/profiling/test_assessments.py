"""Determining a profile: the interview as a draft, the proposal, the advisor's decision."""

import threading
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from clients import services as client_services
from clients.models import Client, DeregistrationReason
from labour_office.offices.models import Office, User
from profiling import services
from profiling.models import Assessment
from tests.clients_web.conftest import make_pesel, register
from tests.profiling.test_rules import KEYS, VERSION, A, C

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)
INTERVIEW = [q.key for q in VERSION.questions][8:]


def example_a_client(advisor: User, office: Office) -> Client:
    """Example A of questionnaire.md: 28, university degree, 3 years of work, 4 months out."""
    client = register(
        advisor, office, "Anna", "Przykładowa", make_pesel(date(1998, 3, 10), 3, True)
    )
    client_services.client_update(
        acting_user=advisor,
        client=client,
        card={
            "education_level": "higher",
            "work_experience_months": 36,
            "language_level": "good",
            "last_work_ended_on": date(2026, 7, 20),
            "licences": "wózki widłowe",
            "licences_relevant": False,
        },
        pesel=client.pesel,
    )
    return client


def interview(example: dict[str, Any]) -> dict[str, Any]:
    return {key: example[key] for key in INTERVIEW}


def test_example_a_is_proposed_profile_one_and_the_decision_is_recorded(
    advisor: User, office: Office
) -> None:
    client = example_a_client(advisor, office)
    draft = services.assessment_start(acting_user=advisor, client=client)
    services.assessment_save(acting_user=advisor, assessment=draft, interview_answers=interview(A))
    decided = services.assessment_decide(
        acting_user=advisor, assessment=draft, final_profile="I", justification="", on=TODAY
    )
    assert (decided.proposed_profile, decided.final_profile) == ("I", "I")
    assert (decided.distance_score, decided.readiness_score) == (3, 4)
    assert decided.is_current and decided.determined_on == TODAY
    assert set(decided.answers) == set(KEYS)
    entry = client.entries.filter(text__contains="Profil").first() or client.entries.first()
    assert entry is not None and "I" in entry.text


def test_an_interrupted_interview_is_resumed(advisor: User, office: Office) -> None:
    client = example_a_client(advisor, office)
    first = services.assessment_start(acting_user=advisor, client=client)
    services.assessment_save(
        acting_user=advisor, assessment=first, interview_answers={"skills": "skills_full"}
    )
    again = services.assessment_start(acting_user=advisor, client=client)
    assert again.pk == first.pk
    assert again.interview_answers == {"skills": "skills_full"}


def test_an_unanswered_interview_cannot_be_decided(advisor: User, office: Office) -> None:
    client = example_a_client(advisor, office)
    draft = services.assessment_start(acting_user=advisor, client=client)
    with pytest.raises(ValidationError):
        services.assessment_decide(
            acting_user=advisor, assessment=draft, final_profile="I", justification="", on=TODAY
        )


def test_a_missing_card_fact_must_be_completed_on_the_card(advisor: User, office: Office) -> None:
    client = register(advisor, office, "Jan", "Bezdaty", make_pesel(date(1990, 1, 1), 4, False))
    draft = services.assessment_start(acting_user=advisor, client=client)
    services.assessment_save(acting_user=advisor, assessment=draft, interview_answers=interview(A))
    with pytest.raises(ValidationError, match=r"kart|card"):
        services.assessment_decide(
            acting_user=advisor, assessment=draft, final_profile="I", justification="", on=TODAY
        )


def test_changing_the_proposed_profile_needs_a_justification(advisor: User, office: Office) -> None:
    client = example_a_client(advisor, office)
    draft = services.assessment_start(acting_user=advisor, client=client)
    services.assessment_save(acting_user=advisor, assessment=draft, interview_answers=interview(A))
    with pytest.raises(ValidationError) as refused:
        services.assessment_decide(
            acting_user=advisor, assessment=draft, final_profile="II", justification="  ", on=TODAY
        )
    assert "justification" in refused.value.error_dict
    decided = services.assessment_decide(
        acting_user=advisor,
        assessment=draft,
        final_profile="II",
        justification="Klientka opiekuje się chorą matką, czego ankieta nie ujęła.",
        on=TODAY,
    )
    assert (decided.proposed_profile, decided.final_profile) == ("I", "II")
    assert decided.changed_by_advisor
    assert "chorą matką" in client.entries.first().text  # type: ignore[union-attr]


def test_a_jobseeker_is_not_profiled(advisor: User, office: Office) -> None:
    from clients.models import JobseekerCategory

    client = client_services.client_register(
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
        status="jobseeker",
        jobseeker_category=JobseekerCategory.objects.get(code="other"),
        registered_on=date(2026, 10, 1),
    )
    with pytest.raises(ValidationError):
        services.assessment_start(acting_user=advisor, client=client)


def test_reprofiling_makes_the_new_profile_current_and_keeps_the_old(
    advisor: User, office: Office
) -> None:
    client = example_a_client(advisor, office)
    first = services.assessment_start(acting_user=advisor, client=client)
    services.assessment_save(acting_user=advisor, assessment=first, interview_answers=interview(A))
    services.assessment_decide(
        acting_user=advisor, assessment=first, final_profile="I", justification="", on=TODAY
    )
    second = services.assessment_start(acting_user=advisor, client=client)
    assert second.trigger == "situation_changed"
    services.assessment_save(acting_user=advisor, assessment=second, interview_answers=interview(C))
    services.assessment_decide(
        acting_user=advisor,
        assessment=second,
        final_profile="III",
        justification="",
        on=date(2026, 12, 1),
    )
    assert list(Assessment.objects.filter(client=client, is_current=True)) == [second]
    first.refresh_from_db()
    assert first.final_profile == "I" and not first.is_current
    second.refresh_from_db()
    assert second.proposed_profile == "III"


def test_no_profile_after_deregistration(advisor: User, office: Office) -> None:
    client = example_a_client(advisor, office)
    draft = services.assessment_start(acting_user=advisor, client=client)
    client_services.registration_close(
        acting_user=advisor,
        registration=draft.registration,
        deregistered_on=TODAY,
        reason=DeregistrationReason.objects.get(code="employment"),
    )
    services.assessment_save(acting_user=advisor, assessment=draft, interview_answers=interview(A))
    with pytest.raises(ValidationError):
        services.assessment_decide(
            acting_user=advisor, assessment=draft, final_profile="I", justification="", on=TODAY
        )


def test_another_office_cannot_profile_the_client(
    advisor: User, office: Office, other_office_advisor: User
) -> None:
    from django.core.exceptions import PermissionDenied

    client = example_a_client(advisor, office)
    with pytest.raises(PermissionDenied):
        services.assessment_start(acting_user=other_office_advisor, client=client)


@pytest.mark.django_db(transaction=True)
def test_two_advisors_deciding_at_once_give_one_current_profile(
    advisor: User, office: Office
) -> None:
    client = example_a_client(advisor, office)
    draft = services.assessment_start(acting_user=advisor, client=client)
    services.assessment_save(acting_user=advisor, assessment=draft, interview_answers=interview(A))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(profile: str) -> None:
        try:
            barrier.wait()
            services.assessment_decide(
                acting_user=advisor,
                assessment=draft,
                final_profile=profile,
                justification="powód",
                on=TODAY,
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(p,)) for p in ("I", "II")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Assessment.objects.filter(registration=draft.registration, is_current=True).count() == 1


def test_forms_available_follow_the_current_profile_and_the_clients_age(
    advisor: User, office: Office
) -> None:
    from profiling.selectors import forms_available_to

    client = example_a_client(advisor, office)
    assert forms_available_to(client, TODAY) == []  # no profile yet: nothing is offered
    draft = services.assessment_start(acting_user=advisor, client=client)
    services.assessment_save(acting_user=advisor, assessment=draft, interview_answers=interview(A))
    services.assessment_decide(
        acting_user=advisor,
        assessment=draft,
        final_profile="II",
        justification="Opieka nad matką.",
        on=TODAY,
    )
    offered = {form.code: availability for form, availability in forms_available_to(client, TODAY)}
    assert "job_placement" in offered
    assert not any(a.needs_justification for a in offered.values())  # profile II: no "justified"
    # The client is 28: forms for people under 30 are offered; forms for 50+ are not.
    from profiling.models import FormOfAssistance

    young = FormOfAssistance.objects.filter(requires__contains=["under_30"], access_ii="available")
    older = FormOfAssistance.objects.filter(requires__contains=["aged_50_plus"])
    assert young.exists() and all(form.code in offered for form in young)
    assert not any(form.code in offered for form in older)


def test_the_decision_keeps_a_change_history(advisor: User, office: Office) -> None:
    from auditlog.models import LogEntry

    client = example_a_client(advisor, office)
    draft = services.assessment_start(acting_user=advisor, client=client)
    services.assessment_save(acting_user=advisor, assessment=draft, interview_answers=interview(A))
    services.assessment_decide(
        acting_user=advisor, assessment=draft, final_profile="I", justification="", on=TODAY
    )
    changes = [e.changes_dict for e in LogEntry.objects.get_for_object(draft)]
    assert any("final_profile" in change for change in changes)
