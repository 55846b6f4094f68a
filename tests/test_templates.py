"""Rules every template keeps that the template engine does not check itself."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_no_comment_tag_spans_lines() -> None:
    """``{# ... #}`` is a one-line comment: spread over lines, Django prints it on the page
    (as it did on the IPD timeline). Longer comments take ``{% comment %}``."""
    broken = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert broken == []
