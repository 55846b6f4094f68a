import pytest
from django.test import Client as HttpClient
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_catalogue_page_filters_by_profile_with_a_fixed_budget(
    advisor_client: HttpClient, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(10):
        everything = advisor_client.get(reverse("catalogue"))
    assert len(everything.context["forms"]) == 37
    profile_one = advisor_client.get(reverse("catalogue"), {"profile": "I"}).context["forms"]
    assert {f.code for f in profile_one} >= {"job_placement", "vocational_counselling"}
    assert all(f.access_i != "excluded" for f in profile_one)
    assert len(profile_one) == 13  # the reconstruction's count (domain/catalogue.md)


def test_an_unknown_profile_shows_everything(advisor_client: HttpClient) -> None:
    response = advisor_client.get(reverse("catalogue"), {"profile": "IV"})
    assert response.status_code == 200
    assert len(response.context["forms"]) == 37


def test_catalogue_requires_sign_in() -> None:
    assert HttpClient().get(reverse("catalogue")).status_code == 302
