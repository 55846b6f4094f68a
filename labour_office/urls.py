from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from labour_office.offices.forms import LoginForm
from labour_office.offices.views import password_change
from labour_office.system import views as system_views

admin.site.site_header = "PUP"

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", password_change, name="password_change"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("health/", system_views.health, name="health"),
    path("system/", system_views.system_status, name="system_status"),
    path("admin/", admin.site.urls),
    path("", include("clients.urls")),
    path("", include("profiling.urls")),
    path("", include("ipd.urls")),
    path("", include("job_clubs.urls")),
    path("", include("labour_office.dashboard.urls")),
    path("", include("labour_office.offices.urls")),
]
