from django.urls import path

from job_clubs import public, views

app_name = "job_clubs"

urlpatterns = [
    path("job-clubs/", views.club_list, name="clubs"),
    path("job-clubs/new/", views.club_create, name="club_create"),
    path("job-clubs/settings/", views.office_settings, name="office_settings"),
    path("job-clubs/<int:pk>/", views.club_detail, name="club"),
    path("job-clubs/<int:pk>/edit/", views.club_edit, name="club_edit"),
    path("job-clubs/<int:pk>/week/", views.club_week, name="week"),
    path("job-clubs/<int:club_pk>/activities/new/", views.activity_create, name="activity_create"),
    path("job-clubs/activities/<int:pk>/", views.activity_detail, name="activity"),
    path("job-clubs/activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("job-clubs/activities/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("clients/<int:client_pk>/job-clubs/", views.client_activities, name="client_activities"),
    path("job-clubs/enrolments/<int:pk>/cancel/", views.enrolment_cancel, name="cancel"),
    path("job-clubs/enrolments/<int:pk>/drop-out/", views.enrolment_drop_out, name="drop_out"),
    path(
        "job-clubs/enrolments/<int:pk>/certificate/",
        views.certificate_issue,
        name="certificate_issue",
    ),
    path("job-clubs/enrolments/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("job-clubs/sessions/<int:pk>/", views.session_register, name="register"),
    path(
        "job-clubs/sessions/<int:pk>/mark/<int:enrolment_pk>/",
        views.session_mark,
        name="mark",
    ),
    path("job-clubs/sessions/<int:pk>/sign-list.pdf", views.sign_list, name="sign_list"),
    path("public/job-clubs/", public.public_offices, name="public_offices"),
    path("public/job-clubs/<int:office_pk>/", public.public_activities, name="public_activities"),
]
