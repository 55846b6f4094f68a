"""The managers' dashboard on seeded data: every number equals the size of the list it links
to, under every filter; offices stay apart in numbers, lists and exports; exports are
logged; the budget of queries does not depend on the data."""

import csv
import io
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from clients.models import AdvisorAssignment, Client
from labour_office.audit.models import AccessAction, AccessLog
from labour_office.dashboard import selectors
from labour_office.offices.models import Office, Role, User
from tests.conftest import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Two offices of demo data (every state of the flow), once for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--clients", "40", "--offices", "2", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def offices(seeded: None) -> list[Office]:
    return list(Office.objects.filter(clients__isnull=False).distinct().order_by("pk"))


def manager_of(office: Office, name: str = "szef") -> User:
    return UserFactory(username=f"{name}{office.pk}", office=office, role=Role.MANAGER)


def list_size(http: HttpClient, url: str) -> tuple[int, set[int]]:
    """The count the list states and the ids of its rows over every page."""
    ids: set[int] = set()
    page, stated = 1, -1
    while True:
        response = http.get(f"{url}{'&' if '?' in url else '?'}page={page}")
        assert response.status_code == 200
        stated = response.context["page"].paginator.count
        ids |= {client.pk for client in response.context["page"].object_list}
        if not response.context["page"].has_next():
            return stated, ids
        page += 1


def card_links(html: str) -> dict[str, tuple[int, str]]:
    """Each card of the dashboard: its number and the link behind it."""
    cards = re.findall(
        r'href="(/dashboard/([a-z_0-9]+)/[^"]*)">\s*<span class="card-body[^>]*>\s*'
        r'<span class="d-block fs-3 fw-semibold">(\d+)</span>',
        html,
    )
    return {key: (int(number), url.replace("&amp;", "&")) for url, key, number in cards}


def test_every_number_is_the_size_of_its_list(
    offices: list[Office], django_assert_max_num_queries: Callable[..., Any]
) -> None:
    office = offices[0]
    http = signed_in(manager_of(office))
    # overhead 9, the numbers 2, the advisor table 2, job clubs 1, trends 5, advisors to filter
    with django_assert_max_num_queries(21):
        response = http.get(reverse("dashboard:dashboard"))
    cards = card_links(response.content.decode())
    assert set(cards) == set(selectors.METRICS)
    nonzero = 0
    for key, (number, url) in cards.items():
        stated, ids = list_size(http, url)
        assert number == stated == len(ids), key
        assert Client.objects.filter(pk__in=ids).exclude(office=office).count() == 0
        nonzero += number > 0
    assert (
        cards["registered"][0]
        == Client.objects.filter(office=office, registrations__deregistered_on__isnull=True).count()
    )
    assert nonzero >= 5  # the demo has clients in most states


def test_the_advisor_table_adds_up_and_links_to_lists_of_that_size(offices: list[Office]) -> None:
    office = offices[0]
    http = signed_in(manager_of(office))
    response = http.get(reverse("dashboard:dashboard"))
    items = response.context["advisors"]
    total = response.context["cards"][0][1]
    assert sum(item["row"].total for item in items) == total
    for item in items:
        row = item["row"]
        assert sum(row.by_status.values()) == row.total
        assert sum(row.by_profile.values()) == row.total
        for number, url in [*item["status"], *item["profiles"]]:
            stated, ids = list_size(http, url)
            assert stated == number == len(ids)
            params = dict(parse_qsl(urlsplit(url).query))
            current = set(
                AdvisorAssignment.objects.filter(
                    client_id__in=ids, ended_at__isnull=True
                ).values_list("advisor_id", flat=True)
            )
            assert current <= ({row.advisor_id} if row.advisor_id else set())
            assert params.get("advisor") == (str(row.advisor_id) if row.advisor_id else "none")


def test_filters_narrow_numbers_and_lists_alike(offices: list[Office]) -> None:
    office = offices[0]
    http = signed_in(manager_of(office))
    for params in (
        {"profile": "II"},
        {"status": "jobseeker"},
        {"profile": "none"},
        {"registered_from": (timezone.localdate().replace(day=1)).isoformat()},
    ):
        response = http.get(reverse("dashboard:dashboard"), params)
        for key, (number, url) in card_links(response.content.decode()).items():
            for name, value in params.items():
                assert f"{name}={value}" in url
            stated, ids = list_size(http, url)
            assert number == stated == len(ids), (params, key)
    wrong = http.get(
        reverse("dashboard:dashboard"),
        {"registered_from": "2026-02-01", "registered_to": "2026-01-01", "profile": "IV"},
    )
    assert wrong.status_code == 200
    assert wrong.context["form"].errors


def test_offices_stay_apart_and_national_admins_choose(offices: list[Office]) -> None:
    national_admin = UserFactory(
        username="centrala", office=None, is_national_admin=True, role=Role.ADMIN
    )
    first, second = offices[:2]
    mine = signed_in(manager_of(first)).get(reverse("dashboard:dashboard"))
    theirs = signed_in(manager_of(second, "inny")).get(reverse("dashboard:dashboard"))
    mine_total, theirs_total = mine.context["cards"][0][1], theirs.context["cards"][0][1]
    everyone = signed_in(national_admin)
    all_offices = everyone.get(reverse("dashboard:dashboard"))
    assert all_offices.context["cards"][0][1] == mine_total + theirs_total
    only_second = everyone.get(reverse("dashboard:dashboard"), {"office": second.pk})
    assert only_second.context["cards"][0][1] == theirs_total
    # A manager cannot reach another office through the filter.
    sneaky = signed_in(manager_of(first, "chytry")).get(
        reverse("dashboard:list", args=["registered"]), {"office": second.pk}
    )
    assert sneaky.context["page"].paginator.count == mine_total


def test_advisors_have_no_dashboard(offices: list[Office]) -> None:
    advisor = UserFactory(username="zwykly", office=offices[0], role=Role.ADVISOR)
    http = signed_in(advisor)
    assert http.get(reverse("dashboard:dashboard")).status_code == 403
    assert http.get(reverse("dashboard:list", args=["registered"])).status_code == 403
    assert http.get(reverse("dashboard:export", args=["registered", "csv"])).status_code == 403
    assert HttpClient().get(reverse("dashboard:dashboard")).status_code == 302


def test_exports_hold_the_list_and_are_logged(offices: list[Office]) -> None:
    office = offices[0]
    manager = manager_of(office)
    http = signed_in(manager)
    url = reverse("dashboard:list", args=["registered"])
    stated, ids = list_size(http, url + "?profile=II")
    response = http.get(reverse("dashboard:export", args=["registered", "csv"]), {"profile": "II"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == stated + 1
    assert all(row[4] == "II" for row in rows[1:])
    pesels = set(Client.objects.filter(pk__in=ids).values_list("pesel", flat=True)) - {None}
    assert not any(p in response.content.decode() for p in pesels)
    logged = AccessLog.objects.filter(user=manager, action=AccessAction.EXPORT)
    assert {int(i) for i in logged.values_list("object_id", flat=True)} == ids
    xlsx = http.get(reverse("dashboard:export", args=["contact_14", "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sheet.max_row == list_size(http, reverse("dashboard:list", args=["contact_14"]))[0] + 1
    assert http.get(reverse("dashboard:export", args=["registered", "pdf"])).status_code == 404
    assert http.get(reverse("dashboard:list", args=["nonsense"])).status_code == 404


def test_budgets_do_not_grow_with_the_list(
    offices: list[Office], django_assert_max_num_queries: Callable[..., Any]
) -> None:
    http = signed_in(manager_of(offices[0]))
    for params in ({"profile": "I"}, {}):
        with django_assert_max_num_queries(16):
            assert (
                http.get(reverse("dashboard:list", args=["registered"]), params).status_code == 200
            )
        with django_assert_max_num_queries(14):
            response = http.get(reverse("dashboard:export", args=["registered", "csv"]), params)
            assert response.status_code == 200


def test_a_manager_moves_ticked_clients_from_the_list(offices: list[Office]) -> None:
    office = offices[0]
    http = signed_in(manager_of(office))
    url = reverse("dashboard:list", args=["registered"])
    response = http.get(url)
    move_form = response.context["move_form"]
    assert move_form is not None
    clients = list(response.context["page"].object_list[:2])
    target = next(
        a for a in move_form.fields["advisor"].queryset if a.pk != clients[0].current_advisor_id
    )
    moved = http.post(
        reverse("clients_bulk_reassign"),
        {
            "move-clients": [c.pk for c in clients],
            "move-advisor": target.pk,
            "move-reason": "Wyrównanie obciążenia",
            "next": url,
        },
    )
    assert moved["Location"] == url
    assert set(
        AdvisorAssignment.objects.filter(client__in=clients, ended_at__isnull=True).values_list(
            "advisor_id", flat=True
        )
    ) == {target.pk}


def test_every_trend_number_is_the_size_of_its_list(
    offices: list[Office], django_assert_max_num_queries: Callable[..., Any]
) -> None:
    http = signed_in(manager_of(offices[0]))
    response = http.get(reverse("dashboard:dashboard"))
    nonzero = 0
    for _month, cells in response.context["trend_rows"]:
        for number, url in cells:
            stated, ids = list_size(http, url)
            assert number == stated == len(ids), url
            assert not Client.objects.filter(pk__in=ids).exclude(office=offices[0]).exists()
            nonzero += number > 0
    assert nonzero >= 5
    with django_assert_max_num_queries(14):
        assert http.get(url).status_code == 200
    assert http.get(reverse("dashboard:trend", args=["registered", "2026-13"])).status_code == 404
    assert http.get(reverse("dashboard:trend", args=["nonsense", "2026-01"])).status_code == 404


def test_clients_without_an_advisor_have_their_own_filter(offices: list[Office]) -> None:
    office = offices[0]
    client = Client.objects.filter(office=office, caseload__isnull=False).first()
    assert client is not None
    AdvisorAssignment.objects.filter(client=client, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    from labour_office.dashboard import caseload

    caseload.refresh([client.pk])
    http = signed_in(manager_of(office))
    response = http.get(reverse("dashboard:dashboard"))
    row = next(item for item in response.context["advisors"] if item["row"].advisor_id is None)
    assert row["row"].total == 1
    stated, ids = list_size(http, row["link"])
    assert stated == 1 and ids == {client.pk}
