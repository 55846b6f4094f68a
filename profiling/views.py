from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render

from labour_office.offices.http import AuthenticatedHttpRequest
from profiling.models import FormOfAssistance
from profiling.rules import EXCLUDED

PROFILES = ("I", "II", "III")


@permission_required("profiling.view_formofassistance", raise_exception=True)
def catalogue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The forms of assistance, optionally only those a profile may get (in some way)."""
    profile = request.GET.get("profile", "")
    forms = FormOfAssistance.objects.filter(is_active=True).order_by("seed_item", "code")
    if profile in PROFILES:
        forms = forms.exclude(**{f"access_{profile.lower()}": EXCLUDED})
    else:
        profile = ""
    return render(
        request,
        "profiling/catalogue.html",
        {"forms": forms, "profile": profile, "profiles": PROFILES},
    )
