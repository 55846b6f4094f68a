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
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken

from labour_office.audit.services import access_record
from labour_office.forms import add_service_errors
from labour_office.offices import services, two_factor
from labour_office.offices.access import get_office_for_user, get_staff_for_user, visible_offices
from labour_office.offices.forms import (
    OfficeSecurityForm,
    StaffCreateForm,
    StaffForm,
    TwoFactorCodeForm,
)
from labour_office.offices.http import AuthenticatedHttpRequest, next_url
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
    security_form = None
    if user.has_perm("offices.change_office"):
        security_form = OfficeSecurityForm(
            request.POST if request.method == "POST" else None,
            initial={"require_two_factor": office.require_two_factor},
        )
    if request.method == "POST":
        if security_form is None:
            raise PermissionDenied
        if security_form.is_valid():
            required = security_form.cleaned_data["require_two_factor"]
            services.office_set_two_factor(acting_user=user, office=office, required=required)
            if required:
                messages.success(
                    request, _("Managers and administrators must now use two-factor login.")
                )
            else:
                messages.success(request, _("Two-factor login is now optional for everyone."))
            return redirect("office_detail", pk=office.pk)
    counts = User.objects.filter(office=office).aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        advisors=Count("pk", filter=Q(is_active=True, is_customer_advisor=True)),
    )
    return render(
        request,
        "offices/office_detail.html",
        {"office": office, "counts": counts, "security_form": security_form},
    )


@permission_required("offices.view_user", raise_exception=True)
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    staff = (
        User.objects.visible_to(user)
        .select_related("office")
        .prefetch_related("groups")
        .with_two_factor()
        .order_by("-is_active", "last_name", "first_name", "pk")
    )
    # NUL cannot reach PostgreSQL's text (a 500); no name holds one.
    query = request.GET.get("q", "").replace("\x00", "").strip()
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
    staff = get_staff_for_user(user, pk, two_factor=True)
    access_record(request=request, obj=staff)
    return render(request, "offices/staff_detail.html", {"staff": staff})


@permission_required("offices.manage_staff", raise_exception=True)
def staff_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    roles = services.assignable_roles(user)
    offices = visible_offices(user) if user.sees_all_offices else None
    form = StaffCreateForm(
        request.POST if request.method == "POST" else None, roles=roles, offices=offices
    )
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
    form = StaffForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        roles=services.assignable_roles(user),
    )
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


@require_POST
@permission_required("offices.manage_staff", raise_exception=True)
def staff_reset_two_factor(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A lost phone: the manager removes the person's authenticator and recovery codes."""
    user = request.user
    staff = get_staff_for_user(user, pk)
    try:
        services.staff_reset_two_factor(acting_user=user, staff=staff)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Two-factor login of %(name)s has been turned off.") % {"name": staff}
        )
    return redirect("staff_detail", pk=staff.pk)


def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Django's password change, which also clears an initial password's must-change flag.

    ``update_session_auth_hash`` keeps this session; every other session of the user ends,
    because their session hash no longer matches the new password.
    """
    user = request.user
    form = PasswordChangeForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.staff_change_password(staff=user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("home")
    return render(request, "registration/password_change_form.html", {"form": form})


def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The second step of signing in: the code from the authenticator app."""
    user = request.user
    target = next_url(request, reverse("home"))
    if not two_factor.session_has_device(request) or two_factor.is_verified(user):
        return redirect(target)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None, recovery=True)
    if request.method == "POST" and form.is_valid():
        result = two_factor.check_code(request, user, form.cleaned_data["otp_token"], sign_in=True)
        if result.ok:
            return redirect(target)
        if result.locked_out:
            # django-axes answers with its lockout page; the session has ended.
            return redirect("login")
        form.add_error("otp_token", _code_error(result))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": target})


def _code_error(result: two_factor.Verification) -> str:
    if result.wait_until is not None:
        return _(
            "Too many wrong codes in a row. Wait until %(time)s, then enter the current code."
        ) % {"time": time_format(timezone.localtime(result.wait_until), "H:i:s")}
    return _(
        "Wrong code. Enter the code your authenticator app shows now (it changes every 30 "
        "seconds), or an unused recovery code."
    )


def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turning two-factor login on (QR code, secret, first code) and off, recovery codes."""
    user = request.user
    required = two_factor.two_factor_required(user)
    device = two_factor.totp_device(user)
    target = next_url(request, reverse("home"))
    if device is not None and not two_factor.is_verified(user):
        # Turned on in another session: this one gives the code first.
        query = urlencode({"next": reverse("two_factor")})
        return redirect(f"{reverse('two_factor_verify')}?{query}")
    if device is None:
        return _two_factor_enable(request, required=required, target=target)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    action = request.POST.get("action")
    if request.method == "POST" and action == "codes":
        request.session[two_factor.NEW_CODES_SESSION_KEY] = two_factor.new_recovery_codes(user)
        messages.success(request, _("New recovery codes made; the old ones no longer work."))
        return redirect("two_factor")
    if request.method == "POST" and form.is_valid():
        if required:
            form.add_error(
                "otp_token",
                _("Your office requires two-factor login of managers and administrators."),
            )
        else:
            result = two_factor.check_code(
                request, user, form.cleaned_data["otp_token"], sign_in=False
            )
            if result.ok:
                two_factor.disable(request, user)
                messages.success(request, _("Two-factor login is off."))
                return redirect("two_factor")
            form.add_error("otp_token", _code_error(result))
    codes_left = StaticToken.objects.filter(
        device__user=user, device__name=two_factor.RECOVERY_NAME
    ).count()
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "enabled": True,
            "required": required,
            "form": form,
            "codes_left": codes_left,
            "new_codes": request.session.pop(two_factor.NEW_CODES_SESSION_KEY, None),
            "next": target,
        },
    )


def _two_factor_enable(
    request: AuthenticatedHttpRequest, *, required: bool, target: str
) -> HttpResponse:
    user = request.user
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_setup(request, user, form.cleaned_data["otp_token"])
        if codes is not None:
            request.session[two_factor.NEW_CODES_SESSION_KEY] = codes
            messages.success(request, _("Two-factor login is on."))
            return redirect(f"{reverse('two_factor')}?{urlencode({'next': target})}")
        form.add_error(
            "otp_token",
            _(
                "Wrong code. Check that the app shows the account just added and enter the "
                "six digits it shows now."
            ),
        )
    hex_key = two_factor.setup_key(request)
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "enabled": False,
            "required": required,
            "form": form,
            "qr_code": two_factor.qr_svg(
                two_factor.config_url(user, hex_key), _("QR code for the authenticator app")
            ),
            "secret": two_factor.base32_secret(hex_key),
            "next": target,
        },
    )
