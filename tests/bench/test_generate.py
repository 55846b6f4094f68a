"""The large-data generator (bench/generate.py) writes what the application would have written.

A small data set goes into the test database with the same ``fill()`` the benchmarks' databases
get; each test holds the result against the application's own rules: the PESEL contract, the
folded search text, the due items ``ipd.deadlines.compute_due`` derives, the caseload rows
``caseload.rebuild()`` derives, reproducibility, and the pages an advisor opens.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client as HttpClient
from django.urls import reverse

from bench.generate import COLUMNS, fill
from clients.models import Client
from clients.pesel import pesel_birth_date, pesel_sex, validate_pesel
from clients.search import fold
from ipd import rules
from ipd.deadlines import compute_due
from ipd.models import DueItem, DueKind
from labour_office.dashboard import caseload
from labour_office.offices.models import User

pytestmark = pytest.mark.django_db
SMALL = {"clients": 300, "offices": 3}


@pytest.fixture
def generated(db: None) -> dict[str, Any]:
    return fill(seed=7, **SMALL)


def test_every_pesel_is_valid_and_matches_birth_date_and_sex(generated: dict[str, Any]) -> None:
    people = list(Client.objects.values_list("pesel", "birth_date", "sex"))
    assert len(people) == SMALL["clients"]
    for pesel, birth_date, sex in people:
        validate_pesel(pesel)
        assert pesel_birth_date(pesel) == birth_date
        assert pesel_sex(pesel) == sex


def test_search_text_is_what_client_save_folds(generated: dict[str, Any]) -> None:
    names = Client.objects.values_list(
        "first_name", "second_name", "last_name", "family_name", "search_text"
    )
    assert any(fold(last) != last.lower() for _f, _s, last, _fam, _t in names)  # diacritics
    for first, second, last, family, search_text in names:
        assert search_text == fold(" ".join([first, second, last, family]))


def test_due_items_are_what_the_application_computes(generated: dict[str, Any]) -> None:
    written = {
        (d.client_id, d.kind): (d.plan_id, d.due_on, d.act_by) for d in DueItem.objects.all()
    }
    expected = {}
    for client in Client.objects.all():
        for kind, (plan, due_on) in compute_due(client).items():
            expected[(client.pk, kind)] = (plan.pk if plan else None, due_on, rules.act_by(due_on))
    assert written == expected
    kinds = {kind for _client, kind in written}
    assert kinds == set(DueKind.values) - {DueKind.JOB_CLUB}  # every stage of the flow occurs


def test_caseload_rows_are_what_rebuild_derives(generated: dict[str, Any]) -> None:
    def rows() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {COLUMNS['dashboard_caseload']} FROM dashboard_caseload")  # noqa: S608
            return sorted(cursor.fetchall())

    before = rows()
    assert caseload.rebuild() == len(before)
    assert rows() == before
    profiles = {row[2] for row in before}
    assert {"I", "II", "III"} <= profiles


def _digest() -> dict[str, str]:
    """An md5 of every generated table's rows in id order."""
    digests = {}
    with connection.cursor() as cursor:
        for table, columns in COLUMNS.items():
            order = columns.split(",")[0]
            cursor.execute(
                f"SELECT md5(string_agg(t::text, '|' ORDER BY {order})) "  # noqa: S608
                f"FROM (SELECT {columns} FROM {table}) t"
            )
            digests[table] = cursor.fetchone()[0]
    return digests


class _Undo(Exception):
    pass


def _fill_and_digest(seed: int) -> dict[str, str]:
    try:
        with transaction.atomic():
            fill(seed=seed, **SMALL)
            digest = _digest()
            raise _Undo
    except _Undo:
        return digest


def test_the_same_seed_gives_the_same_rows_and_another_seed_others(db: None) -> None:
    first = _fill_and_digest(7)
    assert None not in first.values()
    assert _fill_and_digest(7) == first
    other = _fill_and_digest(8)
    assert other["clients_client"] != first["clients_client"]
    assert other["ipd_contact"] != first["ipd_contact"]


def test_an_advisor_opens_a_generated_client_and_plan(generated: dict[str, Any]) -> None:
    fixtures = generated["fixtures"]
    http = HttpClient()
    http.force_login(User.objects.get(username=fixtures["advisor_username"]))
    client_page = http.get(reverse("client_detail", args=[fixtures["ipd_client_id"]]))
    assert client_page.status_code == 200
    plan_page = http.get(reverse("ipd:plan", args=[fixtures["ipd_plan_id"]]))
    assert plan_page.status_code == 200
    assert generated["rows"]["clients_client"] == SMALL["clients"]
