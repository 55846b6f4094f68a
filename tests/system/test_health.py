import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from labour_office.offices.models import User
from labour_office.system.models import Heartbeat
from labour_office.system.services import heartbeat_record
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_health_answers_without_login_and_without_personal_data() -> None:
    response = HttpClient().get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_heartbeat_counts_runs_in_one_row() -> None:
    heartbeat_record(hostname="w1")
    heartbeat_record(hostname="w2")
    beat = Heartbeat.objects.get()
    assert (beat.count, beat.hostname) == (2, "w2")


def test_system_status_warns_when_the_scheduler_has_stopped(office_admin: User) -> None:
    Heartbeat.objects.create(name="beat", last_seen=timezone.now() - dt.timedelta(minutes=10))
    response = signed_in(office_admin).get(reverse("system_status"))
    assert response.context["fresh"] is False
    assert 'role="alert"' in response.content.decode()


def test_system_status_reports_a_running_scheduler(office_admin: User) -> None:
    heartbeat_record()
    response = signed_in(office_admin).get(reverse("system_status"))
    assert response.context["fresh"] is True
