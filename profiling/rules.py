"""The profile decision (domain: questionnaire.md, catalogue.md). Pure: no database, no clock.

Regulation Dz.U. 2014 poz. 631 § 2 (LAW): two dimensions, distance from the labour market and
readiness to enter it. The questions, their points and the thresholds were never published;
ours (APPROXIMATION) are data of a questionnaire version, passed in as ``VersionSpec``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Profile = Literal["I", "II", "III"]
DISTANCE = "distance"
READINESS = "readiness"


class ProfilingError(ValueError):
    """Answers that do not fit the questionnaire version: never scored as zeros."""


@dataclass(frozen=True)
class OptionSpec:
    key: str
    score: int
    exclusive: bool = False


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    dimension: str
    options: Mapping[str, OptionSpec]
    multiple: bool = False
    max_score: int = 8


@dataclass(frozen=True)
class VersionSpec:
    code: str
    questions: Sequence[QuestionSpec]
    distance_high_at_or_above: int
    readiness_low_at_or_above: int
    # Keys: "low_distance_high_readiness" and the three other combinations.
    matrix: Mapping[str, str]


@dataclass(frozen=True)
class Contribution:
    question: str
    dimension: str
    options: tuple[str, ...]
    points: int


@dataclass(frozen=True)
class ProfileResult:
    profile: Profile
    distance_score: int
    readiness_score: int
    distance_threshold: int
    readiness_threshold: int
    contributions: tuple[Contribution, ...] = field(default=())

    @property
    def distance_high(self) -> bool:
        # A threshold value itself belongs to the upper class.
        return self.distance_score >= self.distance_threshold

    @property
    def readiness_low(self) -> bool:
        return self.readiness_score >= self.readiness_threshold

    def top(self, dimension: str, count: int = 3) -> list[Contribution]:
        """The answers that moved a dimension most, for the explanation."""
        moved = [c for c in self.contributions if c.dimension == dimension and c.points > 0]
        return sorted(moved, key=lambda c: -c.points)[:count]


def _points(question: QuestionSpec, answer: str | Sequence[str]) -> tuple[tuple[str, ...], int]:
    chosen = (answer,) if isinstance(answer, str) else tuple(answer)
    if not chosen:
        raise ProfilingError(f"Question {question.key!r} has no answer.")
    if not question.multiple and len(chosen) > 1:
        raise ProfilingError(f"Question {question.key!r} takes one answer, not {len(chosen)}.")
    if len(set(chosen)) != len(chosen):
        raise ProfilingError(f"Question {question.key!r} has the same answer twice.")
    unknown = [key for key in chosen if key not in question.options]
    if unknown:
        raise ProfilingError(f"Question {question.key!r} has no option {unknown[0]!r}.")
    options = [question.options[key] for key in chosen]
    if len(options) > 1 and any(o.exclusive for o in options):
        exclusive = next(o.key for o in options if o.exclusive)
        raise ProfilingError(f"Option {exclusive!r} of {question.key!r} excludes the others.")
    return chosen, min(sum(o.score for o in options), question.max_score)


def determine_profile(
    answers: Mapping[str, str | Sequence[str]], version: VersionSpec
) -> ProfileResult:
    """The proposed profile, both scores and each answer's points."""
    known = {q.key for q in version.questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ProfilingError(f"Unknown questions for version {version.code}: {unknown}.")
    missing = [q.key for q in version.questions if q.key not in answers]
    if missing:
        raise ProfilingError(f"Unanswered questions: {missing}.")
    contributions = []
    for question in version.questions:
        chosen, points = _points(question, answers[question.key])
        contributions.append(Contribution(question.key, question.dimension, chosen, points))
    distance = sum(c.points for c in contributions if c.dimension == DISTANCE)
    readiness = sum(c.points for c in contributions if c.dimension == READINESS)
    high = distance >= version.distance_high_at_or_above
    low = readiness >= version.readiness_low_at_or_above
    cell = f"{'high' if high else 'low'}_distance_{'low' if low else 'high'}_readiness"
    profile = version.matrix[cell]
    if profile not in ("I", "II", "III"):
        raise ProfilingError(f"Version {version.code} maps {cell} to {profile!r}.")
    return ProfileResult(
        profile=profile,  # type: ignore[arg-type]
        distance_score=distance,
        readiness_score=readiness,
        distance_threshold=version.distance_high_at_or_above,
        readiness_threshold=version.readiness_low_at_or_above,
        contributions=tuple(contributions),
    )


# Catalogue access values (domain: catalogue.md, "Rules the product applies").
AVAILABLE = "available"
JUSTIFIED = "justified"
SPECIAL_PROGRAMME = "special_programme"
AFTER_PAI = "after_pai"
EXCLUDED = "excluded"


@dataclass(frozen=True)
class FormSpec:
    code: str
    access: Mapping[str, str]  # profile -> access value
    requires: tuple[str, ...] = ()
    open_to_jobseekers: bool = False


@dataclass(frozen=True)
class ClientSituation:
    """What the catalogue rule reads about a client on the day an action is planned."""

    status: str  # "unemployed" or "jobseeker"
    profile: Profile | None
    attributes: frozenset[str] = frozenset()  # under_30, aged_50_plus, long_term_unemployed, …
    in_special_programme: bool = False
    completed_pai: bool = False


@dataclass(frozen=True)
class Availability:
    code: str
    needs_justification: bool = False


def form_availability(form: FormSpec, situation: ClientSituation) -> Availability | None:
    """Whether a client may get a form now (None: not offered), and if a reason is needed."""
    if not set(form.requires) <= situation.attributes:
        return None
    if situation.status != "unemployed":
        return Availability(form.code) if form.open_to_jobseekers else None
    if situation.profile is None:
        return None  # before the profile is determined no form is offered
    access = form.access.get(situation.profile, EXCLUDED)
    if access == AVAILABLE:
        return Availability(form.code)
    if access == JUSTIFIED:
        return Availability(form.code, needs_justification=True)
    if access == SPECIAL_PROGRAMME and situation.in_special_programme:
        return Availability(form.code)
    if access == AFTER_PAI and situation.completed_pai:
        return Availability(form.code)
    return None


def available_forms(forms: Sequence[FormSpec], situation: ClientSituation) -> list[Availability]:
    return [a for form in forms if (a := form_availability(form, situation)) is not None]


# --- Answers that come from the registration card (questionnaire.md: questions 1-8) ---------


@dataclass(frozen=True)
class CardFacts:
    """What the questionnaire reads from the registration card."""

    birth_date: date
    sex: str  # "F" or "M"
    education_level: str
    work_experience_months: int
    language_level: str  # "good", "basic", "none"
    disability_degree: str  # "", "mild", "moderate", "severe"
    last_work_ended_on: date | None
    has_licences: bool
    licences_relevant: bool


EDUCATION_OPTIONS = {
    "higher": "edu_higher",
    "vocational_secondary": "edu_post_secondary_vocational",
    "general_secondary": "edu_general_secondary",
    "basic_vocational": "edu_basic_vocational",
    "lower_secondary": "edu_lower_secondary_or_less",
}


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def full_months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (end.day < start.day)


def card_answers(card: CardFacts, on: date) -> tuple[dict[str, str], list[str]]:
    """The answers to the card questions on the assessment date, and the card fields that
    are missing for the rest (the advisor completes the card; the answer follows)."""
    answers: dict[str, str] = {}
    missing: list[str] = []
    age = _age(card.birth_date, on)
    answers["age"] = (
        "age_18_24"
        if age < 25
        else "age_25_34"
        if age < 35
        else "age_35_44"
        if age < 45
        else "age_45_54"
        if age < 55
        else "age_55_plus"
    )
    answers["sex"] = "female" if card.sex == "F" else "male"
    if card.education_level in EDUCATION_OPTIONS:
        answers["education"] = EDUCATION_OPTIONS[card.education_level]
    else:
        missing.append("education_level")
    months = card.work_experience_months
    answers["work_experience"] = (
        "exp_none"
        if months == 0
        else "exp_under_1y"
        if months < 12
        else "exp_1_5y"
        if months < 60
        else "exp_5_10y"
        if months < 120
        else "exp_over_10y"
    )
    answers["foreign_languages"] = f"lang_{card.language_level or 'none'}"
    answers["disability"] = f"dis_{card.disability_degree or 'none'}"
    if card.last_work_ended_on is None or card.last_work_ended_on > on:
        missing.append("last_work_ended_on")
    else:
        gap = full_months_between(card.last_work_ended_on, on)
        answers["time_without_work"] = (
            "twow_under_6m"
            if gap < 6
            else "twow_6_12m"
            if gap < 12
            else "twow_12_24m"
            if gap < 24
            else "twow_24m_plus"
        )
    answers["licences"] = (
        "lic_none"
        if not card.has_licences
        else "lic_relevant"
        if card.licences_relevant
        else "lic_other"
    )
    return answers, missing
