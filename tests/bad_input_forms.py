"""Finding the forms of the project's pages, for tests/test_bad_input.py.

A page's HTML is read with :mod:`html.parser`: every ``<form>`` that posts (or that searches
with a text box), with its action (``hx-post`` first, as htmx sends it), its fields and their
current values, the options of its selects and radios, and its submit buttons; and every other
element that posts by itself through htmx (``hx-post`` with ``hx-vals``).
"""

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Input types whose value is typed text of some kind (the hostile values go there first).
TEXT_TYPES = {
    "text",
    "search",
    "email",
    "tel",
    "url",
    "number",
    "date",
    "datetime-local",
    "time",
    "month",
    "password",
    "textarea",
}


@dataclass
class Field:
    """One named control of a form; a radio group or a multi-select is one field."""

    name: str
    kind: str  # an input type, "select", "select-multiple", "textarea", "radio"
    values: list[str] = field(default_factory=list)  # what the browser would send now
    options: list[str] = field(default_factory=list)  # for selects, radios and checkboxes


@dataclass
class Form:
    """A form as a browser would submit it."""

    page: str  # where it was found
    method: str  # "post" or "get"
    action: str  # path (and query) it goes to
    htmx: bool
    fields: dict[str, Field] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons

    def baseline(self) -> dict[str, list[str]]:
        """What the form sends untouched (without a button)."""
        return {name: list(f.values) for name, f in self.fields.items() if f.values}

    @property
    def path(self) -> str:
        return urlsplit(self.action).path


class FormParser(HTMLParser):
    """Collects the forms (and the hx-post elements outside forms) of one page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.hx_gets: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: str | None = None
        self._option_selected = False
        self._option_text = ""
        self._option_pending = False
        self._textarea: Field | None = None
        self._textarea_text = ""

    def _url(self, value: str | None) -> str:
        return urljoin(self.page, value or "")

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: (v if v is not None else "") for k, v in attr_list}
        if attrs.get("hx-get"):
            self.hx_gets.append(self._url(attrs["hx-get"]))
        if tag == "form":
            method = "post" if attrs.get("hx-post") else (attrs.get("method") or "get").lower()
            action = attrs.get("hx-post") or attrs.get("action") or ""
            self._form = Form(
                page=self.page,
                method=method,
                action=self._url(action),
                htmx=any(k.startswith("hx-") for k in attrs),
            )
            self.forms.append(self._form)
            return
        if attrs.get("hx-post") and self._form is None and "disabled" not in attrs:
            # A button that posts by itself: its values come from hx-vals.
            alone = Form(
                page=self.page, method="post", action=self._url(attrs["hx-post"]), htmx=True
            )
            try:
                values = json.loads(attrs.get("hx-vals") or "{}")
            except ValueError:
                values = {}
            for name, value in values.items():
                alone.fields[name] = Field(name, "hidden", [str(value)])
            self.forms.append(alone)
            return
        form = self._form
        if form is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            value = attrs.get("value", "")
            if kind in ("submit", "image", "button", "reset"):
                if kind == "submit":
                    form.buttons.append((name, value))
                return
            if kind in ("checkbox", "radio"):
                existing = form.fields.setdefault(name, Field(name, kind))
                existing.options.append(value or "on")
                if "checked" in attrs:
                    existing.values.append(value or "on")
                return
            form.fields.setdefault(name, Field(name, kind)).values.append(value)
        elif tag == "button" and name and (attrs.get("type") or "submit") == "submit":
            form.buttons.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            kind = "select-multiple" if "multiple" in attrs else "select"
            self._select = form.fields.setdefault(name, Field(name, kind))
        elif tag == "option" and self._select is not None:
            self._option = attrs.get("value")
            self._option_selected = "selected" in attrs
            self._option_text = ""
            self._option_pending = self._option is None
            if not self._option_pending:
                self._end_option()
        elif tag == "textarea" and name:
            self._textarea = form.fields.setdefault(name, Field(name, "textarea"))
            self._textarea_text = ""

    def _end_option(self, text: str | None = None) -> None:
        select = self._select
        if select is None:
            return
        value = self._option if self._option is not None else (text or "").strip()
        select.options.append(value)
        if self._option_selected:
            select.values.append(value)
        self._option = None
        self._option_selected = False

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea_text += data
        elif self._option_pending:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option" and self._option_pending:
            self._option_pending = False
            self._end_option(self._option_text)
        elif tag == "select" and self._select is not None:
            select = self._select
            if select.kind == "select" and not select.values and select.options:
                select.values.append(select.options[0])  # what a browser sends
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.values = [self._textarea_text.removeprefix("\n")]
            self._textarea = None


def forms_of(page: str, html: str) -> tuple[list[Form], list[str]]:
    """The forms worth fuzzing on a page, and the htmx fragments it loads with GET."""
    parser = FormParser(page)
    parser.feed(html)
    parser.close()
    wanted = []
    for form in parser.forms:
        form.fields.pop("csrfmiddlewaretoken", None)
        if form.method == "get" and not any(
            f.kind in ("text", "search") for f in form.fields.values()
        ):
            continue  # a GET form without a text box: links in disguise
        if form.method not in ("get", "post"):
            continue
        wanted.append(form)
    return wanted, parser.hx_gets
