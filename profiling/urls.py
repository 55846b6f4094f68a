from django.urls import path

from profiling import views

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("clients/<int:client_pk>/profile/", views.assessment_start, name="assessment_start"),
    path(
        "assessments/<int:pk>/interview/", views.assessment_interview, name="assessment_interview"
    ),
    path("assessments/<int:pk>/", views.assessment_result, name="assessment_result"),
    path("profiles/changes/", views.profile_changes, name="profile_changes"),
    path("assessments/<int:pk>/sheet.pdf", views.assessment_sheet, name="assessment_sheet"),
]
