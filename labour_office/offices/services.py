"""Every write to offices and staff goes through here: one transaction, rules, audit."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from labour_office.offices.models import Office, Post, Role, User


def assignable_roles(acting_user: User) -> list[Role]:
    """Managers appoint advisors and managers; only administrators appoint administrators."""
    if acting_user.has_role(Role.ADMIN):
        return [Role.ADVISOR, Role.MANAGER, Role.ADMIN]
    if acting_user.has_role(Role.MANAGER):
        return [Role.ADVISOR, Role.MANAGER]
    return []


def _check_can_manage(acting_user: User, office: Office | None, role: str) -> None:
    if not acting_user.has_perm("offices.manage_staff"):
        raise PermissionDenied
    if not acting_user.sees_all_offices and (office is None or office.pk != acting_user.office_id):
        raise PermissionDenied
    if role not in assignable_roles(acting_user):
        raise ValidationError({"role": _("You may not give this role.")})


def _set_role(staff: User, role: str) -> None:
    group = Group.objects.get(name=role)
    staff.groups.set([group])
    # Administrators work in the Django admin as well.
    is_staff = role == Role.ADMIN
    if staff.is_staff != is_staff:
        staff.is_staff = is_staff
        staff.save(update_fields=["is_staff"])


@transaction.atomic
def staff_create(
    *,
    acting_user: User,
    office: Office,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    post: Post | str,
    is_customer_advisor: bool,
    role: Role | str,
    password: str,
) -> User:
    _check_can_manage(acting_user, office, role)
    staff = User(
        office=office,
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        post=post,
        is_customer_advisor=is_customer_advisor,
        must_change_password=True,
    )
    staff.set_password(password)
    staff.full_clean()
    staff.save()
    _set_role(staff, role)
    return staff


@transaction.atomic
def staff_update(
    *,
    acting_user: User,
    staff: User,
    first_name: str,
    last_name: str,
    email: str,
    post: Post | str,
    is_customer_advisor: bool,
    role: Role | str,
) -> User:
    _check_can_manage(acting_user, staff.office, role)
    if staff.pk == acting_user.pk and role != acting_user.role:
        raise ValidationError({"role": _("You cannot change your own role.")})
    staff.first_name = first_name
    staff.last_name = last_name
    staff.email = email
    staff.post = post
    staff.is_customer_advisor = is_customer_advisor
    staff.full_clean(exclude=["password"])
    staff.save(update_fields=["first_name", "last_name", "email", "post", "is_customer_advisor"])
    if staff.role != role:
        _set_role(staff, role)
    return staff


@transaction.atomic
def staff_set_active(*, acting_user: User, staff: User, active: bool) -> User:
    """Deactivate (or reactivate) an account. A deactivated person cannot sign in and is never
    offered as a customer advisor; their history stays."""
    _check_can_manage(acting_user, staff.office, staff.role or Role.ADVISOR)
    if staff.pk == acting_user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if staff.is_active != active:
        staff.is_active = active
        staff.save(update_fields=["is_active"])
    return staff


@transaction.atomic
def staff_change_password(*, staff: User, password: str) -> User:
    staff.set_password(password)
    staff.must_change_password = False
    staff.save(update_fields=["password", "must_change_password"])
    return staff


@transaction.atomic
def office_set_two_factor(*, acting_user: User, office: Office, required: bool) -> Office:
    """Whether the office requires two-factor login of its managers and administrators."""
    if not acting_user.has_perm("offices.change_office"):
        raise PermissionDenied
    if not acting_user.sees_all_offices and office.pk != acting_user.office_id:
        raise PermissionDenied
    if office.require_two_factor != required:
        office.require_two_factor = required
        office.save(update_fields=["require_two_factor"])
    return office


@transaction.atomic
def staff_reset_two_factor(*, acting_user: User, staff: User) -> None:
    """Removes a staff member's authenticator and recovery codes (a lost phone): they sign in
    with the password alone, or set up a new authenticator if their office requires one."""
    _check_can_manage(acting_user, staff.office, staff.role or Role.ADVISOR)
    if staff.pk == acting_user.pk:
        raise ValidationError(_("Turn off your own two-factor login on its page."))
    if (staff.is_superuser or staff.sees_all_offices) and not (
        acting_user.is_superuser or acting_user.sees_all_offices
    ):
        # An account of every office is not one an office's manager may weaken.
        raise PermissionDenied
    TOTPDevice.objects.filter(user=staff).delete()
    StaticDevice.objects.filter(user=staff).delete()
