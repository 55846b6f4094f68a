"""The caseload rows follow every write that can change them, in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from clients.models import AdvisorAssignment, Client, Registration
from clients.signals import advisors_changed
from labour_office.dashboard import caseload
from profiling.models import Assessment


@receiver(post_save, sender=Client, dispatch_uid="caseload_client")
def _client_saved(instance: Client, **kwargs: Any) -> None:
    caseload.refresh([instance.pk])


@receiver(post_save, sender=Registration, dispatch_uid="caseload_registration")
@receiver(post_save, sender=Assessment, dispatch_uid="caseload_assessment")
def _registration_or_profile_saved(instance: Registration | Assessment, **kwargs: Any) -> None:
    caseload.refresh([instance.client_id])


@receiver(post_save, sender=AdvisorAssignment, dispatch_uid="caseload_assignment")
def _assignment_saved(instance: AdvisorAssignment, **kwargs: Any) -> None:
    if instance.client_id is not None:
        caseload.refresh([instance.client_id])


@receiver(advisors_changed, dispatch_uid="caseload_advisors_changed")
def _advisors_changed(client_ids: list[int], **kwargs: Any) -> None:
    caseload.refresh(client_ids)
