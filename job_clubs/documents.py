"""The job club's printed documents (PDF, WeasyPrint), as ``ipd.documents`` prints the IPD:

- the completion certificate (zaświadczenie o ukończeniu), handed to the client and printed in
  the client's document language;
- the attendance list of one session (lista obecności), signed in the room, printed in the
  current (UI) language.

Each is rendered in a fixed number of queries, whatever the size of the group.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from clients.models import Client
from job_clubs.models import HOLDS_A_PLACE, ActivityKind, Enrolment, Session

DOCUMENT_LANGUAGES = ("pl", "en", "uk", "be")

# The kinds under the document's own context, so that the Ukrainian and Belarusian catalogues
# carry them along with the rest of the certificate (the model's labels are UI strings).
KIND_NAMES: dict[str, Promise] = {
    ActivityKind.ACTIVATION_CLASSES: pgettext_lazy("job club document", "activation classes"),
    ActivityKind.JOB_SEARCH_TRAINING: pgettext_lazy(
        "job club document", "training in job-seeking skills"
    ),
    ActivityKind.OPEN_INFORMATION: pgettext_lazy(
        "job club document", "access to job information and electronic databases"
    ),
}

# The Polish alphabet, for ordering a list of names as a Polish reader expects (Ł after L,
# Ż after Z) whatever the database's collation.
POLISH_ALPHABET = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
_POSITION = {letter: n for n, letter in enumerate(POLISH_ALPHABET)}


def _primary(char: str) -> tuple[int, int]:
    if char in _POSITION:
        return (0, _POSITION[char])
    base = unicodedata.normalize("NFKD", char)[0]
    if base in _POSITION:  # another accented Latin letter (é, š, ü): as its base letter
        return (0, _POSITION[base])
    if not char.isalpha():  # a space or hyphen: "Nowak-Kowalska" right after "Nowak"
        return (-1, ord(char))
    return (1, ord(char))  # other scripts after the Latin letters, in code point order


def polish_sort_key(text: str) -> tuple[tuple[tuple[int, int], ...], str]:
    """Letters first (the Polish alphabet; other accents only break ties), then the text."""
    folded = text.casefold()
    return (tuple(_primary(char) for char in folded), folded)


def _document_language(client: Client) -> str:
    language = client.document_language
    return language if language in DOCUMENT_LANGUAGES else "pl"


# --- The completion certificate ---------------------------------------------------------------


def _certificate_context(enrolment: Enrolment) -> dict[str, Any]:
    enrolment = Enrolment.objects.select_related(
        "client", "activity__club__office", "activity__leader"
    ).get(pk=enrolment.pk)
    if not enrolment.certificate_number or enrolment.certificate_issued_on is None:
        raise ValueError(
            "The certificate has not been issued: call job_clubs.services.issue_certificate first."
        )
    activity = enrolment.activity
    sessions = list(activity.sessions.order_by("starts_at", "pk"))
    tz = timezone.get_current_timezone()
    first_day: date | None = sessions[0].starts_at.astimezone(tz).date() if sessions else None
    last_day: date | None = sessions[-1].ends_at.astimezone(tz).date() if sessions else None
    scheduled = sum((s.hours for s in sessions), Decimal("0"))
    return {
        "enrolment": enrolment,
        "client": enrolment.client,
        "activity": activity,
        "club": activity.club,
        "office": activity.club.office,
        "leader": activity.leader,
        "kind_name": KIND_NAMES.get(activity.kind, activity.get_kind_display()),
        "first_day": first_day,
        "last_day": last_day,
        "sessions_count": len(sessions),
        "hours_attended": enrolment.hours_attended,
        "hours_scheduled": scheduled,
    }


def certificate_html(enrolment: Enrolment) -> str:
    """The printable HTML of the completion certificate, in the client's document language.

    The number and the date of issue are those ``job_clubs.services.issue_certificate`` gave the
    enrolment (read afresh here); raises ``ValueError`` when none was issued yet. Two queries:
    the enrolment with its client, activity, club, office and leader; the activity's sessions.
    """
    context = _certificate_context(enrolment)
    language = _document_language(context["client"])
    with translation.override(language):
        return render_to_string(
            "job_clubs/certificate_document.html", {**context, "language": language}
        )


def certificate_pdf(enrolment: Enrolment) -> bytes:
    return _pdf(certificate_html(enrolment))


# --- The attendance list of a session ---------------------------------------------------------


def _sign_list_context(session: Session) -> dict[str, Any]:
    session = Session.objects.select_related("activity__club__office", "activity__leader").get(
        pk=session.pk
    )
    activity = session.activity
    # Only the fields the list prints: the name and the year of birth (no PESEL, no contact).
    enrolments = (
        Enrolment.objects.filter(activity=activity, status__in=HOLDS_A_PLACE)
        .select_related("client")
        .only(
            "pk",
            "status",
            "client__first_name",
            "client__second_name",
            "client__last_name",
            "client__birth_date",
        )
    )
    participants = sorted(
        enrolments,
        key=lambda e: (
            polish_sort_key(e.client.last_name),
            polish_sort_key(e.client.first_name),
            e.pk,
        ),
    )
    starts = list(activity.sessions.order_by("starts_at", "pk").values_list("pk", flat=True))
    return {
        "session": session,
        "activity": activity,
        "club": activity.club,
        "office": activity.club.office,
        "leader": activity.leader,
        "kind_name": activity.get_kind_display(),
        "participants": participants,
        "session_number": starts.index(session.pk) + 1,
        "sessions_count": len(starts),
        "hours": session.hours,
    }


def sign_list_html(session: Session) -> str:
    """The printable HTML of the attendance list of one session, in the current language.

    Data minimisation (GDPR art. 5(1)(c)): the list lies on the table in the room and each
    participant who signs it sees every row, so it prints only what is needed to find one's
    own line and tell namesakes apart: the name and the year of birth. No PESEL (not even
    masked: its first six digits are the birth date and the tenth gives the sex), no contact
    details; the signed sheet is matched to the enrolments by the session, not by identifiers.
    Participants are those holding a place (enrolled or completed), ordered by surname and
    first name in the Polish alphabet. Three queries: the session with its activity, club,
    office and leader; the participants with their names; the activity's sessions (to number
    this one).
    """
    return render_to_string(
        "job_clubs/sign_list_document.html",
        {**_sign_list_context(session), "language": translation.get_language() or "pl"},
    )


def sign_list_pdf(session: Session) -> bytes:
    return _pdf(sign_list_html(session))


def _pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads pango at import, which only the documents need.
    import weasyprint

    pdf: bytes = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    return pdf
