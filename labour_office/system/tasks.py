from celery import Task, shared_task

from labour_office.system.services import heartbeat_record


@shared_task(bind=True, ignore_result=True)
def record_heartbeat(self: Task) -> None:  # type: ignore[type-arg]
    heartbeat_record(hostname=self.request.hostname or "")
