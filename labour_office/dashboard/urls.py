from django.urls import path

from labour_office.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/trends/<slug:key>/<str:month>/", views.trend_list, name="trend"),
    path("dashboard/<slug:key>/", views.metric_list, name="list"),
    path("dashboard/<slug:key>/export.<str:fmt>", views.export, name="export"),
]
