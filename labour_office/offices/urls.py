from django.urls import path

from labour_office.offices import views

urlpatterns = [
    path("account/two-factor/", views.two_factor_setup, name="two_factor"),
    path("account/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("offices/", views.office_list, name="office_list"),
    path("offices/<int:pk>/", views.office_detail, name="office_detail"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path(
        "staff/<int:pk>/deactivate/",
        views.staff_set_active,
        {"active": False},
        name="staff_deactivate",
    ),
    path(
        "staff/<int:pk>/two-factor/reset/",
        views.staff_reset_two_factor,
        name="staff_reset_two_factor",
    ),
    path(
        "staff/<int:pk>/activate/",
        views.staff_set_active,
        {"active": True},
        name="staff_activate",
    ),
]
