"""The pages run under the Content-Security-Policy: chromium reports no violation while a user
goes through them, and what is drawn by script (the IPD timeline's positions, the charts) is
really drawn.

Violations are collected twice: the ``securitypolicyviolation`` event (listened to from an init
script in every document, reported back through an exposed function) and chromium's console
messages about the policy. The headers themselves are tests/test_security_headers.py.
"""

from collections.abc import Callable
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, expect

from clients.models import Client
from ipd.models import IndividualActionPlan, PlanStatus
from job_clubs.models import JobClub
from labour_office.offices.models import Office, Role, User
from profiling.models import Assessment, AssessmentStatus
from tests.factories import UserFactory

LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation({
    page: document.location.pathname,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""

# Every element placed from data-left/data-width (static/js/app.js): its computed left
# (and width) in percent of its track, next to the value asked for. (Marks are centred on their
# point by a transform, which the computed left does not include.)
PLACED = """
() => [...document.querySelectorAll("[data-left], [data-width]")].map((element) => {
  const style = getComputedStyle(element);
  const track = element.offsetParent.clientWidth;
  const box = element.getBoundingClientRect();
  return {
    left: element.dataset.left === undefined ? null : Number(element.dataset.left),
    width: element.dataset.width === undefined ? null : Number(element.dataset.width),
    placedLeft: track ? (100 * parseFloat(style.left)) / track : null,
    placedWidth: track ? (100 * parseFloat(style.width)) / track : null,
    visible: box.width > 0 || box.height > 0,
  };
})
"""


class Violations:
    """What the policy refused in this browser context, from both sources."""

    def __init__(self, page: Page) -> None:
        self.events: list[dict[str, Any]] = []
        self.console: list[str] = []
        page.context.expose_function("reportCspViolation", self._event)
        page.context.add_init_script(LISTEN)
        page.on("console", self._console)

    def _event(self, event: dict[str, Any]) -> None:
        self.events.append(event)

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(f"{message.type}: {message.text}")

    def assert_none(self, where: str) -> None:
        assert self.events == [], f"{where}: {self.events}"
        assert self.console == [], f"{where}: {self.console}"


def visit(page: Page, violations: Violations, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    # Deferred scripts have run at "load"; give htmx's onLoad and the charts one frame.
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done(null)))")
    violations.assert_none(url)


def assert_placed(page: Page, least: int) -> None:
    placed = page.evaluate(PLACED)
    assert len(placed) >= least, placed
    for element in placed:
        assert element["visible"], element
        assert abs(element["placedLeft"] - element["left"]) < 0.5, element
        if element["width"] is not None:
            assert abs(element["placedWidth"] - element["width"]) < 0.5, element


def assert_chart_drawn(page: Page, canvas_id: str) -> None:
    drawn = page.evaluate(
        """(id) => {
          const canvas = document.getElementById(id);
          const chart = window.Chart && window.Chart.getChart(canvas);
          if (!chart) return null;
          const pixels = canvas.getContext("2d")
            .getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
          return { width: canvas.width, height: canvas.height, painted };
        }""",
        canvas_id,
    )
    assert drawn is not None, f"no chart on #{canvas_id}"
    assert drawn["width"] > 0 and drawn["height"] > 0, drawn
    assert drawn["painted"] > 100, drawn


def test_the_main_pages_run_under_the_policy(
    page: Page, sign_in: Callable[[Page, User], None]
) -> None:
    call_command("seed_demo", "--clients", "30", "--offices", "1", stdout=StringIO())
    office = Office.objects.filter(clients__isnull=False).distinct().get()
    plan = (
        IndividualActionPlan.objects.filter(
            client__office=office, status=PlanStatus.ACTIVE, actions__isnull=False
        )
        .order_by("pk")
        .first()
    )
    assessment = (
        Assessment.objects.filter(client__office=office, status=AssessmentStatus.DETERMINED)
        .order_by("pk")
        .first()
    )
    club = JobClub.objects.filter(office=office).order_by("pk").first()
    assert plan is not None and assessment is not None and club is not None
    client: Client = plan.client
    # The office's administrator sees every page here: desk, records, dashboard and admin.
    admin = UserFactory(username="csp-admin", office=office, role=Role.ADMIN)

    violations = Violations(page)
    sign_in(page, admin)
    violations.assert_none("login")
    # htmx's indicator rules come from app.css, not from a <style> it would inject.
    assert page.evaluate("() => document.querySelectorAll('style').length") == 0

    visit(page, violations, reverse("home"))

    visit(page, violations, reverse("client_detail", args=[client.pk]))
    assert_placed(page, least=3)

    visit(page, violations, reverse("assessment_result", args=[assessment.pk]))
    assert_chart_drawn(page, "profile-chart")

    visit(page, violations, reverse("ipd:plan", args=[plan.pk]))
    assert_placed(page, least=3)
    # A timeline swapped in by htmx (as when an action changes) is placed too.
    page.evaluate(
        """() => document.querySelectorAll("#plan-timeline [data-left]")
                 .forEach((element) => element.removeAttribute("style"))"""
    )
    with page.expect_response(lambda r: r.url.endswith(reverse("ipd:plan", args=[plan.pk]))):
        page.evaluate(
            """() => htmx.ajax("GET", location.pathname, {
                 target: "#plan-timeline", select: "#plan-timeline > *", swap: "innerHTML"})"""
        )
    page.wait_for_function(
        """() => {
          const placed = [...document.querySelectorAll("#plan-timeline [data-left]")];
          return placed.length > 0 && placed.every((element) => element.style.left !== "");
        }"""
    )
    assert_placed(page, least=3)
    violations.assert_none("the timeline swapped in by htmx")

    visit(page, violations, reverse("dashboard:dashboard"))
    assert_chart_drawn(page, "trend-chart")

    visit(page, violations, reverse("job_clubs:clubs"))
    visit(page, violations, reverse("job_clubs:club", args=[club.pk]))
    visit(page, violations, reverse("job_clubs:week", args=[club.pk]))
    visit(page, violations, reverse("ipd:inbox"))
    visit(page, violations, reverse("catalogue"))

    visit(page, violations, reverse("admin:clients_client_changelist"))
    visit(page, violations, reverse("admin:clients_client_change", args=[client.pk]))

    visit(page, violations, "/no-such-page/")
