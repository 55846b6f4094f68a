from django.urls import path

from profiling import views

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
]
