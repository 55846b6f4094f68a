import pytest
from django.test import Client as HttpClient

from labour_office.offices.models import Office, Role, User
from tests.factories import OfficeFactory, UserFactory


@pytest.fixture
def office(db: None) -> Office:
    """The office the named users below work in."""
    return OfficeFactory(name="Powiatowy Urząd Pracy w Piasecznie", teryt_powiat="1418")


@pytest.fixture
def other_office(db: None) -> Office:
    """A second office, whose records the users above must never see."""
    return OfficeFactory(name="Powiatowy Urząd Pracy w Wołominie", teryt_powiat="1434")


@pytest.fixture
def advisor(office: Office) -> User:
    """A customer advisor (doradca klienta) of `office`, role advisor."""
    return UserFactory(
        username="doradca",
        first_name="Anna",
        last_name="Kowalska",
        office=office,
        role=Role.ADVISOR,
    )


@pytest.fixture
def manager(office: Office) -> User:
    """The manager of `office`: manages its staff, not a customer advisor."""
    return UserFactory(
        username="kierownik",
        first_name="Tomasz",
        last_name="Nowak",
        office=office,
        role=Role.MANAGER,
        is_customer_advisor=False,
    )


@pytest.fixture
def office_admin(office: Office) -> User:
    """The administrator of `office`: also works in the Django admin."""
    return UserFactory(username="admin", office=office, role=Role.ADMIN, is_customer_advisor=False)


@pytest.fixture
def national_admin(db: None) -> User:
    """An administrator of the operator who sees every office."""
    return UserFactory(
        username="krajowy",
        office=None,
        is_national_admin=True,
        role=Role.ADMIN,
        is_customer_advisor=False,
    )


@pytest.fixture
def other_office_advisor(other_office: Office) -> User:
    """A customer advisor of `other_office`."""
    return UserFactory(
        username="doradca.wolomin",
        first_name="Piotr",
        last_name="Wójcik",
        office=other_office,
        role=Role.ADVISOR,
    )


@pytest.fixture
def other_office_manager(other_office: Office) -> User:
    """The manager of `other_office`."""
    return UserFactory(
        username="kierownik.wolomin",
        office=other_office,
        role=Role.MANAGER,
        is_customer_advisor=False,
    )


def signed_in(user: User) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def advisor_client(advisor: User) -> HttpClient:
    return signed_in(advisor)


@pytest.fixture
def manager_client(manager: User) -> HttpClient:
    return signed_in(manager)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None) -> None:
    """pytest-django's setup, plus: keep the serialized test data on the connection class.

    Django keeps it on the connection object, which is per thread and context; after the
    browser tests (Playwright runs its own context) a later test may get a new connection
    object without it, and serialized rollback would silently restore nothing.
    """
    from django.db import connections

    contents = getattr(connections["default"], "_test_serialized_contents", None)
    if contents is not None:
        type(connections["default"])._test_serialized_contents = contents


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests (threads, subprocesses, the browser) end with a flush that would
    also wipe the data migrations' rows (questionnaire, code lists, role groups); serialized
    rollback puts them back for the tests that follow."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = set(getattr(item, "fixturenames", ()))
        transactional = bool({"transactional_db", "live_server"} & fixtures) or bool(
            marker and marker.kwargs.get("transaction")
        )
        if transactional:
            # The test's other arguments (databases=...) stay as the test gave them.
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True}
            item.add_marker(pytest.mark.django_db(**kwargs, serialized_rollback=True), append=False)
