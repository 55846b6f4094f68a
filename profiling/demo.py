"""Demo profiles for seed_demo: clients in every profile, drafts, changed proposals and
re-profilings, all through profiling.services. Idempotent: clients with any assessment are left
alone."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from clients.models import Client, Status
from clients.services import client_update
from labour_office.offices.models import Office
from profiling import services
from profiling.models import Assessment, Source

SEED = "profiles-2026"
JUSTIFICATIONS = [
    "Klient od przyszłego miesiąca opiekuje się chorym rodzicem, czego ankieta nie ujęła.",
    "Klientka ma uprawnienia i doświadczenie, których karta jeszcze nie odzwierciedla.",
    "Po rozmowie: wyraźna motywacja i gotowość do przekwalifikowania.",
]


def seed_profiles(*, offices: list[Office]) -> list[str]:
    """Profile the unemployed demo clients who have none yet; answer what was made."""
    today = timezone.localdate()
    version = services.current_version()
    interview = [
        q for q in version.questions.prefetch_related("options") if q.source == Source.INTERVIEW
    ]
    made = {"I": 0, "II": 0, "III": 0, "changed": 0, "draft": 0, "again": 0}
    clients = (
        Client.objects.filter(
            office__in=offices,
            registrations__deregistered_on__isnull=True,
            registrations__status=Status.UNEMPLOYED,
        )
        .exclude(assessments__isnull=False)
        .select_related("office")
        .order_by("pk")
    )
    for index, client in enumerate(clients):
        rng = random.Random(f"{SEED}:{client.pesel or client.document_number}")  # noqa: S311
        advisor = client.assignments.filter(ended_at__isnull=True).get().advisor
        registration = client.registrations.get(deregistered_on__isnull=True)
        if client.last_work_ended_on is None:
            ended = registration.registered_on - timedelta(days=rng.randint(10, 900))
            client_update(
                acting_user=advisor,
                client=client,
                card={"last_work_ended_on": max(ended, client.birth_date)},
                pesel=client.pesel,
            )
            client.refresh_from_db()
        # Answers lean towards a profile so that all three appear.
        lean = index % 3
        answers = {}
        for question in interview:
            options = sorted(question.options.all(), key=lambda o: o.score)
            pool = (
                options[: max(1, len(options) // 2)]
                if lean == 0
                else (options[len(options) // 2 :] if lean == 2 else options)
            )
            choice = rng.choice([o for o in pool if not o.exclusive] or pool)
            answers[question.key] = [choice.key] if question.multiple else choice.key
        draft = services.assessment_start(acting_user=advisor, client=client)
        draft = services.assessment_save(
            acting_user=advisor, assessment=draft, interview_answers=answers
        )
        if index % 7 == 6:
            made["draft"] += 1  # an interview left for later
            continue
        day = min(today, registration.registered_on + timedelta(days=rng.randint(3, 30)))
        proposed = services.assessment_result(draft, day).profile
        final: str = proposed
        reason = ""
        if index % 6 == 5:
            final = {"I": "II", "II": "III", "III": "II"}[proposed]
            reason = rng.choice(JUSTIFICATIONS)
            made["changed"] += 1
        decided = services.assessment_decide(
            acting_user=advisor, assessment=draft, final_profile=final, justification=reason, on=day
        )
        made[decided.final_profile] += 1
        if index % 10 == 9 and day + timedelta(days=20) <= today:
            again = services.assessment_start(acting_user=advisor, client=client)
            again = services.assessment_save(
                acting_user=advisor, assessment=again, interview_answers=answers
            )
            services.assessment_decide(
                acting_user=advisor,
                assessment=again,
                final_profile=services.assessment_result(again, day + timedelta(days=20)).profile,
                justification="",
                on=day + timedelta(days=20),
            )
            made["again"] += 1
    total = Assessment.objects.filter(client__office__in=offices).count()
    return [
        f"Profiles: {total} assessments; new now: I {made['I']}, II {made['II']}, "
        f"III {made['III']} (changed by the advisor {made['changed']}, re-profiled "
        f"{made['again']}, interviews left as drafts {made['draft']})."
    ]
