"""The questionnaire is versioned data: published versions never change, old results hold."""

import pytest
from django.core.exceptions import ValidationError

from labour_office.offices.models import User
from profiling import services
from profiling.models import AnswerOption, FormOfAssistance, QuestionnaireVersion
from profiling.rules import determine_profile
from tests.profiling.test_rules import VERSION, A, B, C

pytestmark = pytest.mark.django_db


def test_the_shipped_version_in_the_database_scores_the_worked_examples() -> None:
    spec = services.current_version().spec()
    assert spec == VERSION or [q.key for q in spec.questions] == [q.key for q in VERSION.questions]
    assert [determine_profile(x, spec).profile for x in (A, B, C)] == ["I", "II", "III"]


def test_an_old_assessment_recomputes_the_same_after_a_new_version_is_published(
    office_admin: User,
) -> None:
    old = services.current_version()
    draft = services.questionnaire_version_copy(
        acting_user=office_admin, version=old, code="pz-2014-approx-2"
    )
    draft.distance_high_at_or_above = 25
    draft.save()
    AnswerOption.objects.filter(question__version=draft, key="commute_60").update(score=0)
    services.questionnaire_version_publish(acting_user=office_admin, version=draft)

    assert services.current_version() == draft
    assert determine_profile(B, draft.spec()).profile == "I"  # new scores, new threshold
    pinned = QuestionnaireVersion.objects.get(code=old.code)
    result = determine_profile(B, pinned.spec())
    assert (result.distance_score, result.profile) == (21, "II")  # unchanged


def test_a_version_with_a_broken_matrix_cannot_be_published(office_admin: User) -> None:
    draft = services.questionnaire_version_copy(
        acting_user=office_admin, version=services.current_version(), code="bad"
    )
    draft.matrix = {"low_distance_high_readiness": "IV"}
    draft.save()
    with pytest.raises(ValidationError):
        services.questionnaire_version_publish(acting_user=office_admin, version=draft)
    draft.refresh_from_db()
    assert not draft.is_published


def test_advisors_cannot_publish_questionnaires(advisor: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.questionnaire_version_copy(
            acting_user=advisor, version=services.current_version(), code="x"
        )


def test_the_whole_catalogue_of_37_forms_is_loaded_with_its_matrix() -> None:
    assert FormOfAssistance.objects.count() == 37
    placement = FormOfAssistance.objects.get(code="job_placement")
    assert placement.spec().access == {
        "I": "available",
        "II": "available",
        "III": "special_programme",
    }
