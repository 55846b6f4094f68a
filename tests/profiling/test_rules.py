"""determine_profile on the worked examples of domain/questionnaire.md, and the catalogue rule."""

import json
from pathlib import Path
from typing import Any

import pytest

from profiling.rules import (
    ClientSituation,
    FormSpec,
    OptionSpec,
    ProfilingError,
    QuestionSpec,
    VersionSpec,
    available_forms,
    determine_profile,
)

DATA = Path(__file__).resolve().parents[2] / "profiling" / "data"


def spec_from_data(data: dict[str, Any]) -> VersionSpec:
    return VersionSpec(
        code=data["version"],
        questions=[
            QuestionSpec(
                key=q["key"],
                dimension=q["dimension"],
                multiple=q["type"] == "multiple",
                max_score=q.get("max_score", 8),
                options={
                    o["key"]: OptionSpec(o["key"], o["score"], o.get("exclusive", False))
                    for o in q["options"]
                },
            )
            for q in data["questions"]
        ],
        distance_high_at_or_above=data["decision"]["distance_high_at_or_above"],
        readiness_low_at_or_above=data["decision"]["readiness_low_at_or_above"],
        matrix=data["decision"]["matrix"],
    )


VERSION = spec_from_data(json.loads((DATA / "questionnaire_pz-2014-approx-1.json").read_text()))
KEYS = [q.key for q in VERSION.questions]


def answers(line: str) -> dict[str, Any]:
    values: list[Any] = []
    for part in line.replace("[", "|[").replace("]", "]|").split("|"):
        if part.startswith("["):
            values.append([v.strip() for v in part.strip("[]").split(",")])
        else:
            values.extend(v.strip() for v in part.split(",") if v.strip())
    assert len(values) == 24
    return dict(zip(KEYS, values, strict=True))


A = answers(
    "age_25_34, female, edu_higher, exp_1_5y, lang_good, dis_none, twow_under_6m, "
    "lic_other, skills_full, commute_30, comm_full, [obst_none], recent_over_6m, "
    "search_active, contacts_5_plus, retrain_maybe, mobility_commute, cond_some, "
    "start_now, time_full, motive_development, reason_job, past_first, coop_any"
)
B = answers(
    "age_45_54, male, edu_basic_vocational, exp_over_10y, lang_none, dis_none, "
    "twow_12_24m, lic_relevant, skills_partial, commute_60, comm_phone_only, [obst_none], "
    "recent_none, search_some, contacts_1_4, retrain_yes, mobility_commute, cond_all, "
    "start_now, time_full, motive_income, reason_benefit, past_completed, coop_any"
)
C = answers(
    "age_55_plus, female, edu_lower_secondary_or_less, exp_1_5y, lang_none, "
    "dis_moderate, twow_24m_plus, lic_none, skills_lacking, commute_over_90, comm_none, "
    "[obst_dependant_care, obst_health], recent_none, search_none, contacts_none, "
    "retrain_no, mobility_local, cond_none, start_1m, time_part, motive_pressure, "
    "reason_social_assistance, past_no_offers, coop_selected"
)


@pytest.mark.parametrize(
    ("example", "distance", "readiness", "profile"),
    [(A, 3, 4, "I"), (B, 21, 8, "II"), (C, 51, 36, "III")],
)
def test_worked_examples_give_the_documented_scores_and_profile(
    example: dict[str, Any], distance: int, readiness: int, profile: str
) -> None:
    result = determine_profile(example, VERSION)
    assert (result.distance_score, result.readiness_score, result.profile) == (
        distance,
        readiness,
        profile,
    )


def test_obstacles_of_c_add_up_two_and_three() -> None:
    result = determine_profile(C, VERSION)
    obstacles = next(c for c in result.contributions if c.question == "obstacles")
    assert obstacles.points == 5


def test_distance_exactly_at_the_threshold_is_high() -> None:
    result = determine_profile({**B, "commuting": "commute_30"}, VERSION)
    assert (result.distance_score, result.readiness_score, result.profile) == (20, 8, "II")
    assert result.distance_high


def test_just_below_the_distance_threshold_is_low() -> None:
    result = determine_profile(
        {**B, "commuting": "commute_30", "communication_access": "comm_full"}, VERSION
    )
    assert (result.distance_score, result.profile) == (18, "I")


def test_readiness_exactly_at_the_threshold_is_low() -> None:
    a = {**A, "registration_reason": "reason_health_insurance", "current_cooperation": "coop_none"}
    assert (
        determine_profile(a, VERSION).readiness_score,
        determine_profile(a, VERSION).profile,
    ) == (14, "I")
    result = determine_profile({**a, "start_availability": "start_2w"}, VERSION)
    assert (result.readiness_score, result.profile) == (15, "II")
    assert result.readiness_low


def test_the_explanation_names_the_answers_that_moved_each_dimension_most() -> None:
    top = determine_profile(C, VERSION).top("distance")
    assert top[0].question == "education" and top[0].points == 8


def test_an_unanswered_question_is_an_error_not_a_zero() -> None:
    incomplete = dict(A)
    del incomplete["skills"]
    with pytest.raises(ProfilingError, match="skills"):
        determine_profile(incomplete, VERSION)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"hobby": "chess"}, "hobby"),
        ({"education": "edu_phd"}, "edu_phd"),
        ({"obstacles": ["obst_none", "obst_health"]}, "excludes"),
        ({"education": ["edu_higher", "edu_basic_vocational"]}, "one answer"),
        ({"obstacles": []}, "no answer"),
    ],
)
def test_unknown_or_impossible_answers_are_refused(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ProfilingError, match=message):
        determine_profile({**A, **change}, VERSION)


def test_several_obstacles_are_capped_at_eight_points() -> None:
    many = ["obst_housing", "obst_after_prison", "obst_health"]
    result = determine_profile({**C, "obstacles": many}, VERSION)
    assert next(c for c in result.contributions if c.question == "obstacles").points == 8


CATALOGUE = [
    FormSpec(
        f["code"], f["profiles"], tuple(f.get("requires", ())), f.get("open_to_jobseekers", False)
    )
    for f in json.loads((DATA / "catalogue_pz-2014-catalogue-1.json").read_text())["forms"]
]


def codes(situation: ClientSituation) -> set[str]:
    return {a.code for a in available_forms(CATALOGUE, situation)}


def test_no_form_is_offered_before_the_profile_is_determined() -> None:
    assert codes(ClientSituation("unemployed", None)) == set()


def test_profile_one_gets_job_placement_and_counselling_only_with_a_justification() -> None:
    offered = {a.code: a for a in available_forms(CATALOGUE, ClientSituation("unemployed", "I"))}
    assert not offered["job_placement"].needs_justification
    assert offered["vocational_counselling"].needs_justification
    assert len(offered) <= 13  # the reconstruction's count for profile I (catalogue.md)


def test_profile_three_reaches_job_placement_only_inside_a_special_programme() -> None:
    assert "job_placement" not in codes(ClientSituation("unemployed", "III"))
    assert "job_placement" in codes(ClientSituation("unemployed", "III", in_special_programme=True))


def test_after_pai_forms_open_only_after_pai() -> None:
    assert "social_cooperative_support" not in codes(ClientSituation("unemployed", "III"))
    assert "social_cooperative_support" in codes(
        ClientSituation("unemployed", "III", completed_pai=True)
    )


def test_age_requirements_are_checked() -> None:
    under_30_only = {f.code for f in CATALOGUE if f.requires == ("under_30",)}
    assert under_30_only
    young = codes(ClientSituation("unemployed", "II", frozenset({"under_30"})))
    older = codes(ClientSituation("unemployed", "II"))
    assert under_30_only <= young
    assert not under_30_only & older


def test_a_jobseeker_gets_only_forms_open_to_jobseekers() -> None:
    offered = codes(ClientSituation("jobseeker", None))
    assert "job_placement" in offered
    assert all(f.open_to_jobseekers for f in CATALOGUE if f.code in offered)


def card(**overrides: Any) -> Any:
    from datetime import date

    from profiling.rules import CardFacts

    facts = {
        "birth_date": date(1998, 3, 10),
        "sex": "F",
        "education_level": "higher",
        "work_experience_months": 36,
        "language_level": "good",
        "disability_degree": "",
        "last_work_ended_on": date(2026, 7, 20),
        "has_licences": True,
        "licences_relevant": False,
    }
    facts.update(overrides)
    return CardFacts(**facts)


def test_card_answers_of_example_a_come_from_the_card() -> None:
    from datetime import date

    from profiling.rules import card_answers

    answers, missing = card_answers(card(), on=date(2026, 11, 23))
    assert missing == []
    assert answers == {
        "age": "age_25_34",
        "sex": "female",
        "education": "edu_higher",
        "work_experience": "exp_1_5y",
        "foreign_languages": "lang_good",
        "disability": "dis_none",
        "time_without_work": "twow_under_6m",
        "licences": "lic_other",
    }


@pytest.mark.parametrize(
    ("ended", "on", "option"),
    [
        ("2026-05-23", "2026-11-23", "twow_6_12m"),  # exactly 6 months
        ("2026-05-24", "2026-11-23", "twow_under_6m"),  # a day short of 6 months
        ("2024-11-23", "2026-11-23", "twow_24m_plus"),
        ("2025-01-31", "2026-01-30", "twow_6_12m"),  # 11 full months
    ],
)
def test_time_without_work_counts_full_months(ended: str, on: str, option: str) -> None:
    from datetime import date

    from profiling.rules import card_answers

    answers, _ = card_answers(
        card(last_work_ended_on=date.fromisoformat(ended)), on=date.fromisoformat(on)
    )
    assert answers["time_without_work"] == option


def test_a_missing_card_fact_is_reported_not_guessed() -> None:
    from datetime import date

    from profiling.rules import card_answers

    answers, missing = card_answers(card(last_work_ended_on=None), on=date(2026, 11, 23))
    assert missing == ["last_work_ended_on"]
    assert "time_without_work" not in answers


def test_age_on_the_assessment_day_decides_the_age_band() -> None:
    from datetime import date

    from profiling.rules import card_answers

    birthday_eve, _ = card_answers(card(birth_date=date(2001, 11, 24)), on=date(2026, 11, 23))
    birthday, _ = card_answers(card(birth_date=date(2001, 11, 23)), on=date(2026, 11, 23))
    assert (birthday_eve["age"], birthday["age"]) == ("age_18_24", "age_25_34")
