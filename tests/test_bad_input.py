"""Bad input posted to every form of the project (DESIGN rule 8), found from the URL resolver.

The world is the access walk's (``tests/test_access_walk.py``): one office made by ``seed_demo``
with every kind of record. Its manager, an advisor and its administrator open every page of the
walk (and the htmx fragments those pages load); every form that posts, and every search form
with a text box, is read from the HTML (:mod:`tests.bad_input_forms`), so a new form is fuzzed
without anyone listing it here. The forms are grouped by the module of the view they post to.

Each form is first sent as it stands, then with every text box set at once to each of a few
classic values (NUL, markup, 100,000 characters, nothing), then Hypothesis replaces one to
three fields of the form's own current values with hostile ones: empty, huge, unicode (emoji,
right-to-left, combining marks, Polish letters), control characters with NUL (PostgreSQL refuses
NUL in text: a classic 500), SQL and HTML/JS fragments, impossible dates and numbers, several
values for one field, an option that is not offered, a file where text is expected, or no value
at all. Every example runs in a savepoint rolled back afterwards, and must end in

- no 500 and no exception (the test client re-raises);
- a refusal (4xx, or the page again with a visible error), which left the first office's tables
  as they were (the walk's table digest), or a success (a redirect, or htmx's fragment) when the
  input happened to be valid;
- no raw ``<script>alert(1)`` or ``<img … onerror`` in any answer, nor in the pages showing a
  record saved with such text (they show it escaped).

The counts of what was sent go to ``var/bad_input_counts.json`` and one line of the report.
"""

import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import resolve, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from clients.models import Client
from ipd.models import Contact, IndividualActionPlan
from job_clubs.models import Activity
from labour_office.offices.models import Office, User
from profiling.models import Assessment
from tests.bad_input_forms import TEXT_TYPES, Form, forms_of
from tests.factories import make_pesel
from tests.test_access_walk import _digest, _patterns, _urls, world

pytestmark = pytest.mark.django_db

# Who opens the pages: the first office's manager and administrator open all of them, an
# advisor those they could not open.
USERS = ("kierownik", "admin", "doradca")
FULL_WALK = {"kierownik", "admin"}
# Pages whose forms are not fuzzed: signing out would end the walk.
NOT_FUZZED = {"logout"}
# Documents and exports: no forms, and slow to make.
DOCUMENTS = (".pdf", ".csv", ".xlsx")
# Hypothesis examples per form, on top of the sweep.
EXAMPLES = 20

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
RAW_MARKUP = ("<script>alert(1)", "<img src=x onerror=alert(1)>")
ESCAPED_MARKUP = ("&lt;script&gt;alert(1)", "&lt;img src=x onerror=alert(1)&gt;")
HUGE = "x" * 100_000

HOSTILE: list[str] = [
    "",
    " ",
    HUGE,
    "😀👩‍👩‍👧 zażółć gęślą jaźń ŻÓŁĆ",
    "\u202e\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627\u202c",  # RTL
    "Z\u0301o\u0328\u0301\u0300\u0301\u0301",
    "\u200b\ufeff",
    "\x00",
    "ab\x00cd",
    "\x01\x07\x08\x1b[31m\x7f",
    "\r\n\t\x0b\x0c",
    "' OR 1=1 --",
    "'); DROP TABLE clients_client; --",
    "%_\\",
    SCRIPT,
    IMG,
    "{{ 7|add:7 }}{% debug %}",
    "0000-00-00",
    "2026-02-30",
    "9999-12-31",
    "1-1-1",
    "31.12.99999",
    "29.02.2025",
    "0001-01-01",
    "25:61",
    "-1",
    "0",
    "1e308",
    "NaN",
    "-Infinity",
    "99999999999999999999",
    "0x10",
    "1,5",
    "00000000000",
    "https://evil.example/",
    "//evil.example",
]
# Every text box of a form at once, one value after another.
SWEEP = ["\x00", SCRIPT, HUGE, "", "99999999999999999999", "2026-02-30"]
# A field the form does not have.
UNEXPECTED = "unexpected"
# Signs of a refusal the user can see.
ERROR_MARKERS = ("invalid-feedback", "errorlist", "alert-danger", "is-invalid", 'role="alert"')

COUNTS: Counter[str] = Counter()
COUNTS_FILE = Path(django_settings.BASE_DIR) / "var" / "bad_input_counts.json"


@dataclass
class Found:
    """A form to fuzz, the user who saw it and the view it posts to."""

    form: Form
    user: User
    view_name: str
    module: str


def _view_modules() -> list[str]:
    """The modules of the project's views, from the URL resolver (a new one is a new test)."""
    return sorted({pattern.callback.__module__ for _name, pattern in _patterns()})


def _signed_in(user: User) -> HttpClient:
    http = HttpClient(HTTP_HOST="localhost")
    http.force_login(user)
    return http


def _html(response: Any) -> str:
    if "html" not in response.get("Content-Type", ""):
        return ""
    content: bytes = response.content
    return content.decode(errors="replace")


def _more_pages(office: Office) -> list[str]:
    """Pages with forms that the walk's records (chosen so that every page opens) do not
    show, because the form belongs to a record in another state."""
    pages = []
    draft = Assessment.objects.filter(client__office=office, status="draft").order_by("pk")
    if assessment := draft.first():
        pages.append(reverse("assessment_interview", kwargs={"pk": assessment.pk}))
    plans = IndividualActionPlan.objects.filter(client__office=office).order_by("pk")
    if plan := plans.filter(status="draft").first():
        pages.append(reverse("ipd:plan", kwargs={"pk": plan.pk}))
    planned = Contact.objects.filter(plan__client__office=office, status="planned").order_by("pk")
    if contact := planned.first():
        pages.append(reverse("ipd:contact_record", kwargs={"pk": contact.pk}))
        pages.append(reverse("ipd:plan", kwargs={"pk": contact.plan_id}))
    gone = (
        Client.objects.filter(office=office)
        .exclude(registrations__deregistered_on__isnull=True)
        .order_by("pk")
    )
    if client := gone.first():
        pages.append(reverse("client_detail", kwargs={"pk": client.pk}))
    unplanned = (
        Assessment.objects.filter(client__office=office, status="determined", is_current=True)
        .exclude(client__plans__isnull=False)
        .order_by("pk")
    )
    if assessment := unplanned.first():
        pages.append(reverse("client_detail", kwargs={"pk": assessment.client_id}))
    newcomer = make_pesel(date(1990, 5, 17), "F", 4999)
    pages.append(f"{reverse('client_register')}?pesel={newcomer}")
    if activity := Activity.objects.filter(club__office=office).order_by("pk").first():
        pages.append(f"{reverse('job_clubs:activity', kwargs={'pk': activity.pk})}?q=a")
    return pages


def _discover(office: Office) -> list[Found]:
    """Every form of every page the first office's own staff open (deduplicated by the view
    it posts to, its field names and its buttons). A page one user opened is not opened again
    by the next; documents and exports (no forms, slow to make) are not opened."""
    found: dict[tuple[Any, ...], Found] = {}
    opened: set[str] = set()
    walk = [url for name, url in _urls(office) if name not in NOT_FUZZED]
    for username in USERS:
        user = User.objects.get(username=username)
        http = _signed_in(user)
        queue = [(url, False) for url in [*walk, *_more_pages(office)]]
        seen: set[str] = set()
        while queue:
            url, fragment = queue.pop(0)
            again = url in opened and username not in FULL_WALK
            if url in seen or again or urlsplit(url).path.endswith(DOCUMENTS):
                continue
            seen.add(url)
            headers = {"HX-Request": "true"} if fragment else {}
            response = http.get(url, secure=True, headers=headers)
            html = _html(response) if response.status_code == 200 else ""
            if not html:
                continue
            opened.add(url)
            forms, fragments = forms_of(url, html)
            queue.extend((more, True) for more in fragments if more not in seen)
            for form in forms:
                if form.path.startswith("/admin/"):
                    continue
                match = resolve(form.path)
                if match.view_name in NOT_FUZZED:
                    continue
                key = (
                    form.method,
                    match.view_name,
                    tuple(sorted(form.fields)),
                    tuple(sorted(form.buttons)),
                )
                found.setdefault(key, Found(form, user, match.view_name, match.func.__module__))
    COUNTS["pages_read"] += len(opened)
    return list(found.values())


@pytest.fixture(scope="module")
def forms(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[list[Found]]:
    """The walk's world, made once for the module in a transaction rolled back at the end,
    and the forms found in it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            started = time.monotonic()
            made = cast(Any, world).__wrapped__()
            COUNTS["seconds_world"] = round(time.monotonic() - started)
            found = _discover(made["theirs"])
            COUNTS["seconds_discovery"] = (
                round(time.monotonic() - started) - COUNTS["seconds_world"]
            )
            yield found
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
    COUNTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    COUNTS_FILE.write_text(json.dumps(dict(sorted(COUNTS.items())), indent=2) + "\n")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    line = (
        f"bad input: {COUNTS['forms']} forms ({COUNTS['post_forms']} posting, "
        f"{COUNTS['search_forms']} searching) with {COUNTS['fields']} fields on "
        f"{COUNTS['pages_read']} pages; {COUNTS['sent']} inputs sent "
        f"({COUNTS['refused']} refused, {COUNTS['accepted']} accepted, "
        f"{COUNTS['escaped_seen']} saved markup shown escaped) -> {COUNTS_FILE.name}"
    )
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)


# --- sending ------------------------------------------------------------------------------


def _payload(form: Form, changes: dict[str, tuple[Any, ...]], button: Any) -> dict[str, Any]:
    data: dict[str, Any] = form.baseline()
    if button is not None:
        data[button[0]] = [button[1]]
    for name, change in changes.items():
        how = change[0]
        if how == "value":
            data[name] = [change[1]]
        elif how == "several":
            data[name] = list(change[1])
        elif how == "missing":
            data.pop(name, None)
        elif how == "bogus_option":
            data[name] = ["999999999"]
        elif how == "file":
            data[name] = SimpleUploadedFile("x.txt", b"\x00\xff binary", "text/plain")
    return data


def _texts(value: Any) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def _refused_visibly(body: str) -> bool:
    return any(marker in body for marker in ERROR_MARKERS)


def _send(http: HttpClient, found: Found, data: dict[str, Any], tampered: bool = False) -> None:
    """One input: sent in a savepoint rolled back afterwards, with the checks of the module.

    ``tampered``: a hidden field was changed, which no one can do in a browser; the refusal
    must then leave the data alone, but need not say which field was wrong."""
    form = found.form
    cookies = SimpleCookie(http.cookies.output(header="", sep="\n"))
    savepoint = transaction.savepoint()
    try:
        before = _digest()
        headers = {"HX-Request": "true"} if form.htmx else {}
        if form.method == "post":
            response = http.post(form.action, data, secure=True, headers=headers)
        else:
            response = http.get(form.action, data, secure=True, headers=headers)
        COUNTS["sent"] += 1
        where = (found.view_name, form.action, response.status_code)
        assert response.status_code < 500, where
        body = _html(response)
        assert not [m for m in RAW_MARKUP if m in body], ("raw markup in the answer", where)
        if response.status_code in (301, 302, 303):
            assert not response["Location"].startswith(reverse("login")), ("signed out", where)
        changed = _digest() != before
        if form.method == "get":
            assert not changed, ("a search changed data", where)
            assert response.status_code in (200, 302, 400, 404), where
            return
        if response.status_code >= 400:
            assert not changed, ("refused, but data changed", where)
            COUNTS["refused"] += 1
        elif response.status_code == 200 and not changed:
            silent = tampered
            assert _refused_visibly(body) or silent, ("neither saved nor refused", where)
            COUNTS["refused"] += 1
        elif changed:
            COUNTS["accepted"] += 1
            sent = [text for value in data.values() for text in _texts(value)]
            if any(m in text for text in sent for m in (SCRIPT, IMG)):
                _check_pages_escape(http, form.page, response, where)
        else:
            COUNTS["redirected_unchanged"] += 1
    finally:
        transaction.savepoint_rollback(savepoint)
        http.cookies = cookies


def _check_pages_escape(http: HttpClient, page: str, response: Any, where: tuple[Any, ...]) -> None:
    """The pages showing a record saved with markup show it escaped."""
    urls = [page]
    if response.status_code in (301, 302, 303):
        urls.append(response["Location"])
    if response.get("HX-Redirect"):
        urls.append(response["HX-Redirect"])
    for url in urls:
        shown = http.get(url, secure=True)
        assert shown.status_code < 500, (url, where)
        body = _html(shown)
        assert not [m for m in RAW_MARKUP if m in body], ("raw markup shown", url, where)
        COUNTS["escaped_seen"] += any(m in body for m in ESCAPED_MARKUP)


# --- strategies ---------------------------------------------------------------------------

_hostile = st.sampled_from(HOSTILE)
_any_text = st.text(st.characters(codec="utf-8"), max_size=40)


def _changes(form: Form) -> st.SearchStrategy[dict[str, tuple[Any, ...]]]:
    names = [*sorted(form.fields), UNEXPECTED]
    kinds = [
        st.tuples(st.just("value"), _hostile),
        st.tuples(st.just("value"), _any_text),
        st.tuples(st.just("missing")),
        st.tuples(st.just("several"), st.lists(_hostile, min_size=2, max_size=3)),
        st.tuples(st.just("bogus_option")),
    ]
    if form.method == "post":
        kinds.append(st.tuples(st.just("file")))
    return st.dictionaries(
        st.sampled_from(names), st.one_of(kinds), min_size=1, max_size=min(3, len(names))
    )


def _fuzz(found: Found, examples: int = EXAMPLES) -> None:
    form = found.form
    http = _signed_in(found.user)
    COUNTS["forms"] += 1
    COUNTS["post_forms" if form.method == "post" else "search_forms"] += 1
    COUNTS["fields"] += len(form.fields)
    # As it stands, then every text box at once with each classic value.
    buttons = [None, *form.buttons]
    _send(http, found, _payload(form, {}, buttons[-1]))
    texts = [name for name, f in form.fields.items() if f.kind in TEXT_TYPES]
    for value in SWEEP:
        if texts:
            _send(http, found, _payload(form, dict.fromkeys(texts, ("value", value)), buttons[-1]))

    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
    )
    @given(changes=_changes(form), button=st.sampled_from(buttons))
    def one_input(changes: dict[str, tuple[Any, ...]], button: Any) -> None:
        hidden = [n for n in changes if n in form.fields and form.fields[n].kind == "hidden"]
        _send(http, found, _payload(form, changes, button), tampered=bool(hidden))

    one_input()


# --- the tests ----------------------------------------------------------------------------


def test_the_walk_finds_the_forms(forms: list[Found]) -> None:
    """Discovery works: the forms of the flow's main pages are among those found (if this
    fails, the fuzzing below proves nothing)."""
    names = {found.view_name for found in forms}
    for expected in (
        "home",
        "client_edit",
        "client_entry_add",
        "employer_register",
        "assessment_interview",
        "ipd:action_add",
        "ipd:contact_record",
        "job_clubs:activity_edit",
        "job_clubs:mark",
        "staff_create",
        "client_register",
        "client_reregister",
        "ipd:prepare",
        "ipd:update",
        "office_detail",
    ):
        assert expected in names, (expected, sorted(names))
    assert len(forms) >= 45


@pytest.mark.parametrize("module", _view_modules())
def test_bad_input_to_the_forms_of(module: str, forms: list[Found]) -> None:
    mine = [found for found in forms if found.module == module]
    if not mine:
        pytest.skip(f"no form posts to {module}")
    for found in mine:
        _fuzz(found)


# --- the bugs found -------------------------------------------------------------------------


def _the(forms: list[Found], view_name: str) -> Found:
    return next(found for found in forms if found.view_name == view_name)


def test_a_tampered_session_row_of_an_activity_is_refused_visibly(forms: list[Found]) -> None:
    """Found here: a session row whose hidden activity was changed was refused without a
    word (the error of a hidden field was not shown)."""
    found = _the(forms, "job_clubs:activity_edit")
    http = _signed_in(found.user)
    before = _digest()
    data = _payload(found.form, {"sessions-0-activity": ("value", " ")}, None)
    response = http.post(found.form.action, data, secure=True)
    assert response.status_code == 200
    body = _html(response)
    assert 'role="alert"' in body
    assert _digest() == before


def test_a_next_that_is_not_a_path_falls_back_to_the_page(forms: list[Found]) -> None:
    found = _the(forms, "clients_bulk_reassign")
    http = _signed_in(found.user)
    response = http.post(found.form.action, {"next": "999999999"}, secure=True)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_staff_search_with_nul_is_answered(forms: list[Found]) -> None:
    found = _the(forms, "staff_list")
    http = _signed_in(found.user)
    response = http.get(found.form.action, {"q": "ab\x00cd"}, secure=True)
    assert response.status_code in (200, 400)


def test_a_refused_status_change_by_htmx_says_why(forms: list[Found]) -> None:
    found = _the(forms, "ipd:action_status")
    http = _signed_in(found.user)
    data = _payload(found.form, {"status": ("value", "bogus")}, None)
    before = _digest()
    response = http.post(found.form.action, data, secure=True, HTTP_HX_REQUEST="true")
    assert _digest() == before
    assert response.status_code in (200, 400, 422)
    assert _refused_visibly(_html(response))


def test_unticking_the_only_checkbox_of_the_office_is_saved(forms: list[Found]) -> None:
    found = _the(forms, "office_detail")
    http = _signed_in(found.user)
    response = http.post(found.form.action, {}, secure=True)
    assert response.status_code == 302


def test_a_form_posted_without_any_field_says_what_is_missing(forms: list[Found]) -> None:
    """Found here: views bound their forms with ``request.POST or None``, so a POST without
    any field (every box left out, the only checkbox unticked) came back as an empty form
    without a word, or did not save the unticked box."""
    found = _the(forms, "client_reassign")
    http = _signed_in(found.user)
    before = _digest()
    response = http.post(found.form.action, {}, secure=True)
    assert response.status_code == 200
    assert "invalid-feedback" in _html(response) or "errorlist" in _html(response)
    assert _digest() == before
