from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a beat-scheduled task ran through a worker: one row per source."""

    name = models.CharField(_("name"), max_length=50, primary_key=True)
    last_seen = models.DateTimeField(_("last seen"))
    hostname = models.CharField(_("worker"), max_length=200, blank=True)
    count = models.PositiveBigIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.last_seen:%Y-%m-%d %H:%M:%S}"


class Parameter(models.Model):
    """A number of the law or of office practice that an administrator may change.

    Values marked APPROXIMATION or RECONSTRUCTION in the domain specification live here, never
    as constants in code; the data migration seeds them with their documented values.
    """

    key = models.CharField(_("key"), max_length=100, primary_key=True)
    value = models.IntegerField(_("value"))
    description = models.TextField(_("description"))
    mark = models.CharField(_("source"), max_length=20)

    class Meta:
        verbose_name = _("parameter")
        verbose_name_plural = _("parameters")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"
