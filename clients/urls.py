from django.urls import path

from clients import views, views_gdpr

urlpatterns = [
    path("", views.home, name="home"),
    path("clients/new/", views.client_register, name="client_register"),
    path("clients/reassign/", views.clients_bulk_reassign, name="clients_bulk_reassign"),
    path("clients/<int:pk>/", views.client_detail, name="client_detail"),
    path("clients/<int:pk>/edit/", views.client_edit, name="client_edit"),
    path("clients/<int:pk>/deregister/", views.client_deregister, name="client_deregister"),
    path("clients/<int:pk>/register-again/", views.client_reregister, name="client_reregister"),
    path("clients/<int:pk>/journal/", views.client_journal, name="client_journal"),
    path("clients/<int:pk>/journal/new/", views.client_entry_add, name="client_entry_add"),
    path("clients/<int:pk>/advisor/", views.client_reassign, name="client_reassign"),
    path(
        "clients/<int:pk>/personal-data/",
        views_gdpr.personal_data,
        name="client_personal_data",
    ),
    path(
        "clients/<int:pk>/personal-data.pdf",
        views_gdpr.personal_data_pdf,
        name="client_personal_data_pdf",
    ),
    path(
        "clients/<int:pk>/personal-data.json",
        views_gdpr.personal_data_json,
        name="client_personal_data_json",
    ),
    path("substitutions/", views.substitution_list, name="substitution_list"),
    path("assignment/", views.assignment_settings, name="assignment_settings"),
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/new/", views.employer_register, name="employer_register"),
    path("employers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/edit/", views.employer_edit, name="employer_edit"),
    path("employers/<int:pk>/contacts/", views.employer_contact_add, name="employer_contact_add"),
    path("employers/<int:pk>/journal/", views.employer_entry_add, name="employer_entry_add"),
]
