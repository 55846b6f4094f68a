from django.urls import path

from ipd import views

app_name = "ipd"

urlpatterns = [
    path("clients/<int:client_pk>/ipd/", views.plan_prepare, name="prepare"),
    path("ipd/<int:pk>/", views.plan_detail, name="plan"),
    path("ipd/<int:pk>/edit/", views.plan_update, name="update"),
    path("ipd/<int:pk>/actions/<str:kind>/", views.action_add, name="action_add"),
    path("ipd/actions/<int:pk>/", views.action_edit, name="action_edit"),
    path("ipd/actions/<int:pk>/remove/", views.action_remove, name="action_remove"),
    path("ipd/actions/<int:pk>/move/<str:direction>/", views.action_move, name="action_move"),
    path("ipd/actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("ipd/<int:pk>/agree/", views.plan_agree, name="agree"),
    path("ipd/<int:pk>/amend/", views.plan_amend, name="amend"),
    path("ipd/<int:pk>/amend/agree/", views.plan_amend_agree, name="amend_agree"),
    path("ipd/<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("ipd/<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("ipd/contacts/<int:pk>/", views.contact_record, name="contact_record"),
    path("ipd/<int:pk>/end/", views.plan_end, name="end"),
    path("ipd/<int:pk>/plan.pdf", views.plan_pdf, name="pdf"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/done/", views.reminder_done, name="reminder_done"),
]
