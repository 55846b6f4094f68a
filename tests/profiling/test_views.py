"""The interview and result pages at the desk."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from labour_office.offices.models import Office, User
from profiling.models import Assessment
from tests.conftest import signed_in
from tests.profiling.test_assessments import INTERVIEW, example_a_client, interview
from tests.profiling.test_rules import A

pytestmark = pytest.mark.django_db


def start(http: HttpClient, client_pk: int) -> Assessment:
    response = http.post(reverse("assessment_start", args=[client_pk]))
    assessment = Assessment.objects.get(client_id=client_pk, status="draft")
    assert response["Location"] == reverse("assessment_interview", args=[assessment.pk])
    return assessment


def test_the_whole_profiling_at_the_desk(
    advisor: User, office: Office, advisor_client: HttpClient, django_assert_max_num_queries
) -> None:
    client = example_a_client(advisor, office)
    assert advisor_client.get(reverse("assessment_start", args=[client.pk])).status_code == 405
    assessment = start(advisor_client, client.pk)
    url = reverse("assessment_interview", args=[assessment.pk])
    with django_assert_max_num_queries(16):
        page = advisor_client.get(url)
    assert "Wykształcenie" in page.content.decode() or page.status_code == 200

    # Half the interview, saved as a draft.
    half = {k: v for k, v in interview(A).items() if k in INTERVIEW[:5]}
    assert advisor_client.post(url, {**half, "save": "1"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.interview_answers.keys() == half.keys()

    # Finishing with questions left shows what is missing and keeps what was given.
    response = advisor_client.post(url, {**half, "finish": "1"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == set(INTERVIEW[5:])

    response = advisor_client.post(url, {**interview(A), "finish": "1"})
    result_url = reverse("assessment_result", args=[assessment.pk])
    assert response["Location"] == result_url
    with django_assert_max_num_queries(16):
        result = advisor_client.get(result_url)
    assert result.context["result"].profile == "I"

    refused = advisor_client.post(result_url, {"final_profile": "II", "justification": ""})
    assert refused.context["form"].errors["justification"]
    done = advisor_client.post(result_url, {"final_profile": "I", "justification": ""})
    assert done.status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_current and assessment.final_profile == "I"
    detail = advisor_client.get(reverse("client_detail", args=[client.pk]))
    assert detail.context["page"].assessments == [assessment]


def test_another_office_cannot_open_the_interview_or_the_result(
    advisor: User, office: Office, advisor_client: HttpClient, other_office_advisor: User
) -> None:
    client = example_a_client(advisor, office)
    assessment = start(advisor_client, client.pk)
    other = signed_in(other_office_advisor)
    for name in ("assessment_interview", "assessment_result"):
        assert other.get(reverse(name, args=[assessment.pk])).status_code == 404
    assert other.post(reverse("assessment_start", args=[client.pk])).status_code == 404


def test_the_client_page_shows_what_changed_between_profiles(
    advisor: User, office: Office, advisor_client: HttpClient
) -> None:
    from datetime import date

    from profiling import services

    client = example_a_client(advisor, office)
    for answers, day in (
        (interview(A), date(2026, 11, 2)),
        ({**interview(A), "commuting": "commute_60"}, date(2026, 11, 20)),
    ):
        draft = services.assessment_start(acting_user=advisor, client=client)
        services.assessment_save(acting_user=advisor, assessment=draft, interview_answers=answers)
        services.assessment_decide(
            acting_user=advisor, assessment=draft, final_profile="I", justification="", on=day
        )
    history = advisor_client.get(reverse("client_detail", args=[client.pk])).context[
        "profile_history"
    ]
    assert len(history) == 2
    assert len(history[0]["changes"]) == 1  # the newest: only the commuting answer changed
    assert history[1]["changes"] == []


def test_managers_see_per_advisor_how_many_proposals_were_changed_and_why(
    advisor: User,
    office: Office,
    manager_client: HttpClient,
    advisor_client: HttpClient,
    django_assert_max_num_queries,
) -> None:
    from datetime import date

    from profiling import services

    client = example_a_client(advisor, office)
    draft = services.assessment_start(acting_user=advisor, client=client)
    services.assessment_save(acting_user=advisor, assessment=draft, interview_answers=interview(A))
    services.assessment_decide(
        acting_user=advisor,
        assessment=draft,
        final_profile="II",
        justification="Opiekuje się chorą matką.",
        on=date(2026, 11, 2),
    )
    assert advisor_client.get(reverse("profile_changes")).status_code == 403
    with django_assert_max_num_queries(11):
        response = manager_client.get(reverse("profile_changes"))
    rows = list(response.context["per_advisor"])
    assert [(r["total"], r["changed"]) for r in rows] == [(1, 1)]
    assert "chorą matką" in response.content.decode()
