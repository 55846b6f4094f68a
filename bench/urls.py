"""The project's URLs and the benchmark's floor view."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from clients.models import Client
from labour_office.urls import urlpatterns as project_urlpatterns


def floor(request: HttpRequest, pk: int) -> HttpResponse:
    """The least a signed-in page can do: read one row by primary key and answer."""
    last_name = Client.objects.values_list("last_name", flat=True).get(pk=pk)
    return HttpResponse(last_name, content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/floor/<int:pk>/", floor, name="bench_floor"), *project_urlpatterns]
