"""axe-core on the page a browser test is looking at: WCAG 2.1 level A and AA (DESIGN.md rule 9).

axe-core comes bundled with axe-playwright-python (no CDN, no download); its sync `Axe.run`
injects the script into the page and returns axe's result object.
"""

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# The rules of WCAG 2.0 and 2.1 at levels A and AA: what the Polish act on the digital
# accessibility of public bodies (2019) requires, through EN 301 549.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The WCAG 2.1 A/AA violations axe-core finds on the page as it is now."""
    options = {
        "runOnly": {"type": "tag", "values": WCAG_21_AA},
        "resultTypes": ["violations"],
    }
    results = _axe.run(page, options=options)
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            # A target is a list of selectors: one per frame or shadow root on the way down.
            target = " >> ".join(str(selector) for selector in node["target"])
            lines.append(f"    at {target}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"      {line.strip()}" for line in summary.splitlines() if line.strip())
    return "\n".join(lines)


def assert_no_axe_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on {page.url}:\n"
        + format_violations(violations)
    )
