from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from labour_office.audit.services import access_record
from labour_office.forms import add_service_errors
from labour_office.offices import services
from labour_office.offices.access import get_office_for_user, get_staff_for_user, visible_offices
from labour_office.offices.forms import StaffCreateForm, StaffForm
from labour_office.offices.http import AuthenticatedHttpRequest
from labour_office.offices.models import User

STAFF_PAGE_SIZE = 50


@permission_required("offices.view_office", raise_exception=True)
def office_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    offices = (
        visible_offices(user)
        .annotate(staff_count=Count("staff", filter=Q(staff__is_active=True)))
        .order_by("name", "pk")
    )
    page = Paginator(offices, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "offices/office_list.html", {"page": page})


@permission_required("offices.view_office", raise_exception=True)
def office_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    office = get_office_for_user(user, pk)
    counts = User.objects.filter(office=office).aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        advisors=Count("pk", filter=Q(is_active=True, is_customer_advisor=True)),
    )
    return render(request, "offices/office_detail.html", {"office": office, "counts": counts})


@permission_required("offices.view_user", raise_exception=True)
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    staff = (
        User.objects.visible_to(user)
        .select_related("office")
        .prefetch_related("groups")
        .order_by("-is_active", "last_name", "first_name", "pk")
    )
    query = request.GET.get("q", "").strip()
    if query:
        staff = staff.filter(
            Q(last_name__unaccent__icontains=query)
            | Q(first_name__unaccent__icontains=query)
            | Q(username__icontains=query)
        )
    page = Paginator(staff, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "offices/staff_list.html", {"page": page, "query": query})


@permission_required("offices.view_user", raise_exception=True)
def staff_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    staff = get_staff_for_user(user, pk)
    access_record(request=request, obj=staff)
    return render(request, "offices/staff_detail.html", {"staff": staff})


@permission_required("offices.manage_staff", raise_exception=True)
def staff_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    roles = services.assignable_roles(user)
    offices = visible_offices(user) if user.sees_all_offices else None
    form = StaffCreateForm(request.POST or None, roles=roles, offices=offices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        office = data.get("office") or user.office
        if office is None:
            raise PermissionDenied
        try:
            staff = services.staff_create(
                acting_user=user,
                office=office,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                post=data["post"],
                is_customer_advisor=data["is_customer_advisor"],
                role=data["role"],
                password=data["password1"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": staff})
            return redirect("staff_detail", pk=staff.pk)
    return render(request, "offices/staff_form.html", {"form": form, "creating": True})


@permission_required("offices.manage_staff", raise_exception=True)
def staff_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    staff = get_staff_for_user(user, pk)
    initial: dict[str, Any] = {
        "first_name": staff.first_name,
        "last_name": staff.last_name,
        "email": staff.email,
        "post": staff.post,
        "is_customer_advisor": staff.is_customer_advisor,
        "role": staff.role,
    }
    form = StaffForm(request.POST or None, initial=initial, roles=services.assignable_roles(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_update(acting_user=user, staff=staff, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": staff})
            return redirect("staff_detail", pk=staff.pk)
    return render(request, "offices/staff_form.html", {"form": form, "staff": staff})


@require_POST
@permission_required("offices.manage_staff", raise_exception=True)
def staff_set_active(request: AuthenticatedHttpRequest, pk: int, active: bool) -> HttpResponse:
    user = request.user
    staff = get_staff_for_user(user, pk)
    try:
        services.staff_set_active(acting_user=user, staff=staff, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if active:
            messages.success(request, _("Account %(name)s reactivated.") % {"name": staff})
        else:
            messages.success(request, _("Account %(name)s deactivated.") % {"name": staff})
    return redirect("staff_detail", pk=staff.pk)


def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Django's password change, which also clears an initial password's must-change flag.

    ``update_session_auth_hash`` keeps this session; every other session of the user ends,
    because their session hash no longer matches the new password.
    """
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.staff_change_password(staff=user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("home")
    return render(request, "registration/password_change_form.html", {"form": form})
