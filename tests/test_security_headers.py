"""The security headers of every response: Content-Security-Policy, X-Frame-Options,
Referrer-Policy, X-Content-Type-Options; with production settings (HTTPS) also HSTS and secure
cookies. And the rule that keeps the policy satisfiable: no template carries inline script,
event-handler attributes or (outside the WeasyPrint documents) inline styles.

The browser side (the pages really run under the policy) is tests/e2e/test_csp.py.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.http import HttpResponseBase
from django.test import Client as HttpClient
from django.urls import reverse

from labour_office.offices.models import User
from tests.conftest import signed_in

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"

EXPECTED_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Templates rendered only into PDF by WeasyPrint, never served as a page: their <style> blocks
# are the documents' print layout, outside any Content-Security-Policy.
PDF_TEMPLATES = {
    "profiling/sheet.html",
    "ipd/plan_document.html",
    "job_clubs/_document_base.html",
    "job_clubs/certificate_document.html",
    "job_clubs/sign_list_document.html",
    "clients/gdpr_document.html",
}


def parse_csp(header: str) -> dict[str, list[str]]:
    """``"a x y; b z"`` -> ``{"a": ["x", "y"], "b": ["z"]}``."""
    policy: dict[str, list[str]] = {}
    for directive in header.split(";"):
        name, *sources = directive.split()
        assert name not in policy, f"{name} given twice in {header!r}"
        policy[name] = sources
    return policy


def assert_security_headers(response: HttpResponseBase) -> None:
    assert "Content-Security-Policy-Report-Only" not in response
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_parse_csp_reads_directives_and_refuses_duplicates() -> None:
    assert parse_csp("default-src 'self'; img-src 'self' data:") == {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
    }
    with pytest.raises(AssertionError):
        parse_csp("script-src 'self'; script-src 'unsafe-inline'")


def test_the_login_page_carries_the_security_headers(client: HttpClient, db: None) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_a_redirect_to_the_login_page_carries_them_too(client: HttpClient, db: None) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert_security_headers(response)


def test_the_desk_carries_the_security_headers(advisor: User) -> None:
    response = signed_in(advisor).get(reverse("home"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_an_htmx_fragment_carries_the_security_headers(advisor: User) -> None:
    response = signed_in(advisor).get(reverse("home"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert_security_headers(response)


def test_the_not_found_page_carries_the_security_headers(advisor: User) -> None:
    response = signed_in(advisor).get("/no-such-page/")
    assert response.status_code == 404
    assert_security_headers(response)


def test_the_admin_changelist_carries_the_security_headers(office_admin: User) -> None:
    response = signed_in(office_admin).get(reverse("admin:clients_client_changelist"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_a_csrf_failure_is_our_page_without_inline_style(db: None) -> None:
    """Django's own CSRF page has an inline <style> the policy would block: ours replaces it."""
    http = HttpClient(enforce_csrf_checks=True)
    response = http.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert_security_headers(response)
    body = response.content.decode()
    assert "<style" not in body
    assert 'href="/static/css/app.css"' in body
    assert "403_csrf.html" in [t.name for t in response.templates]


def _test_database_url() -> str:
    """The URL of the database this test session runs on, for a subprocess to share."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


# Runs in a subprocess with the production settings module. Static files come from the finders
# (production's manifest storage needs collectstatic, which has nothing to do with headers).
PROBE = """
import json, sys
import django
from django.conf import settings
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
django.setup()
from django.test import Client
from labour_office.offices.models import User

def describe(response):
    return {
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]),
                           "samesite": m["samesite"]} for name, m in response.cookies.items()},
    }

host = "pup.example.gov.pl"
plain = Client().get("/accounts/login/", HTTP_HOST=host)
anonymous = Client().get("/accounts/login/", secure=True, HTTP_HOST=host)
staff = Client()
staff.force_login(User.objects.get(username=sys.argv[1]))
desk = staff.get("/", secure=True, HTTP_HOST=host)
print(json.dumps({"plain": describe(plain), "login": describe(anonymous), "desk": describe(desk)}))
"""


def test_production_settings_add_hsts_and_secure_cookies(
    transactional_db: None, advisor: User
) -> None:
    # The browser tests allow async-unsafe calls in this process; production never does.
    dropped = ("DJANGO_SETTINGS_MODULE", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "labour_office.settings",
            "HTTPS": "true",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "pup.example.gov.pl",
            "DATABASE_URL": _test_database_url(),
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE, advisor.username],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])

    # Plain HTTP is sent to HTTPS.
    assert probe["plain"]["status"] == 301
    assert probe["plain"]["headers"]["Location"].startswith("https://pup.example.gov.pl/")

    for name in ("login", "desk"):
        page = probe[name]
        assert page["status"] == 200, name
        headers = page["headers"]
        hsts = [part.strip() for part in headers["Strict-Transport-Security"].split(";")]
        max_age = int(next(p for p in hsts if p.startswith("max-age=")).removeprefix("max-age="))
        assert max_age >= 365 * 24 * 3600
        assert "includeSubDomains" in hsts
        assert parse_csp(headers["Content-Security-Policy"]) == EXPECTED_CSP
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Content-Type-Options"] == "nosniff"

    csrf_cookie = probe["login"]["cookies"]["csrftoken"]
    assert csrf_cookie["secure"]
    session_cookie = probe["desk"]["cookies"]["sessionid"]
    assert session_cookie["secure"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


# --- Templates keep the policy satisfiable -------------------------------------------------

TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)((?:[^>{]|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\{)*)>", re.S)
EVENT_HANDLER = re.compile(r"(?:^|\s)(on[a-z]+)\s*=", re.I)
HTMX_CODE = re.compile(
    r"""(?:^|\s)(hx-on[:\w-]*)\s*=|hx-vals\s*=\s*["']\s*(js:|javascript:)""", re.I
)
JS_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.I)
STYLE_ATTRIBUTE = re.compile(r"(?:^|\s)style\s*=", re.I)
COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|<!--.*?-->", re.S)


def template_problems(name: str, source: str) -> list[str]:
    """What in one template's source the Content-Security-Policy would refuse."""
    problems = []
    source = COMMENT.sub("", source)
    for match in TAG.finditer(source):
        tag, attributes = match.group(1).lower(), match.group(2)
        where = f"{name}: <{tag}{attributes[:60]}"
        if (
            tag == "script"
            and not re.search(r"\ssrc\s*=", attributes)
            and not re.search(r"""type\s*=\s*["']application/(ld\+)?json["']""", attributes)
        ):
            problems.append(f"{where}: inline <script> (move the code to static/js)")
        if handler := EVENT_HANDLER.search(attributes):
            problems.append(f"{where}: event handler attribute {handler.group(1)}")
        if HTMX_CODE.search(attributes):
            problems.append(f"{where}: code in an htmx attribute (evaluated: needs unsafe-eval)")
        if JS_URL.search(attributes):
            problems.append(f"{where}: javascript: URL")
        if name not in PDF_TEMPLATES:
            if tag == "style":
                problems.append(f"{where}: inline <style> (put it in static/css/app.css)")
            if STYLE_ATTRIBUTE.search(attributes):
                problems.append(
                    f"{where}: style attribute (use a class, or data- attributes that "
                    "static/js/app.js applies)"
                )
    return problems


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("<script>alert(1)</script>", "inline <script>"),
        ('<script type="module">go()</script>', "inline <script>"),
        ('<button type="button" onclick="go()">', "onclick"),
        ('<a href="#"\n   onClick = "go()">', "onClick"),
        ('<form hx-on::after-request="this.reset()">', "htmx attribute"),
        ("<div hx-vals='js:{a: b()}'>", "htmx attribute"),
        ('<a href="javascript:go()">', "javascript: URL"),
        ('<span class="x" style="left: {{ x }}%">', "style attribute"),
        ("<style>.x { color: red }</style>", "inline <style>"),
    ],
)
def test_the_template_rule_finds_what_the_policy_refuses(source: str, problem: str) -> None:
    found = template_problems("page.html", source)
    assert len(found) == 1 and problem in found[0], found


@pytest.mark.parametrize(
    "source",
    [
        "<script src=\"{% static 'js/dashboard.js' %}\" defer></script>",
        '<script type="application/json" id="data">{"a": 1}</script>',
        '<div data-left="{{ x }}" data-onload="y" class="once">',
        '<input name="online" value="{% if a > b %}on{% endif %}">',
        "{# <script>commented out</script> #}",
        '<button hx-post="/x/" hx-confirm="{% translate \'Sure?\' %}">',
    ],
)
def test_the_template_rule_lets_allowed_markup_pass(source: str) -> None:
    assert template_problems("page.html", source) == []


def test_pdf_templates_are_still_there() -> None:
    """The exemption list names real files (a renamed document must be looked at again)."""
    assert sorted(n for n in PDF_TEMPLATES if not (TEMPLATES / n).is_file()) == []


def test_no_template_has_inline_script_handlers_or_styles() -> None:
    names = sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))
    assert len(names) > 50
    problems = [
        problem
        for name in names
        for problem in template_problems(name, (TEMPLATES / name).read_text(encoding="utf-8"))
    ]
    assert problems == []
