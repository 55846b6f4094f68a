from __future__ import annotations

from typing import Any, Self, TypeVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

teryt_powiat_validator = RegexValidator(
    r"^\d{4}$", _("A TERYT poviat code has exactly 4 digits (voivodeship and poviat).")
)
postal_code_validator = RegexValidator(
    r"^\d{2}-\d{3}$", _("Enter a postal code in the form 00-000.")
)


class AssignmentStrategy(models.TextChoices):
    """How a new client gets a customer advisor (a returning client gets the previous one)."""

    LETTERS = "letters", _("surname letter ranges, then least caseload")
    LEAST_CASELOAD = "caseload", _("least caseload")


class Office(models.Model):
    """A poviat labour office (PUP). Every client and every staff member belongs to one."""

    name = models.CharField(_("name"), max_length=200)
    teryt_powiat = models.CharField(
        _("TERYT poviat code"),
        max_length=4,
        validators=[teryt_powiat_validator],
        help_text=_("Four digits: voivodeship and poviat, e.g. 1465 for Warsaw."),
    )
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(
        _("postal code"), max_length=6, validators=[postal_code_validator]
    )
    city = models.CharField(_("city"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    assignment_strategy = models.CharField(
        _("assigning customer advisors"),
        max_length=10,
        choices=AssignmentStrategy.choices,
        default=AssignmentStrategy.LEAST_CASELOAD,
    )
    reminder_lead_days = models.PositiveSmallIntegerField(
        _("reminders ahead (days)"),
        default=7,
        help_text=_("How many days before the act-by date advisors are reminded."),
    )
    # SEED default: the job club's open information access is for anyone interested.
    job_club_information_open_to_all = models.BooleanField(
        _("job club information access open to anyone"),
        default=True,
        db_default=True,
        help_text=_("Off: only registered unemployed persons and jobseekers may enrol in it."),
    )
    job_club_public_page = models.BooleanField(
        _("public page of job club activities"),
        default=True,
        db_default=True,
        help_text=_("A page without login listing upcoming activities and how to join."),
    )
    require_two_factor = models.BooleanField(
        _("Require two-factor login for managers and administrators"),
        default=False,
        db_default=False,
        help_text=_(
            "They set up an authenticator app at their next page and give its code at every "
            "sign-in. Anyone else may turn it on for their own account."
        ),
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(teryt_powiat__regex=r"^\d{4}$"),
                name="office_teryt_powiat_4_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Post(models.TextChoices):
    """The four posts of the labour market institutions' staff (2004 Act, art. 91)."""

    JOB_PLACEMENT_OFFICER = "placement", _("job placement officer")
    CAREER_COUNSELLOR = "counsellor", _("career counsellor")
    DEVELOPMENT_SPECIALIST = "development", _("professional development specialist")
    PROGRAMME_SPECIALIST = "programmes", _("programme specialist")


class Role(models.TextChoices):
    """Application roles; each is a Django group of the same name (see roles.py)."""

    ADVISOR = "advisor", _("advisor")
    MANAGER = "manager", _("manager")
    ADMIN = "admin", _("administrator")


_M = TypeVar("_M", bound=models.Model)


class OfficeScopedQuerySet(models.QuerySet[_M]):
    """Rows that belong to an office through an ``office`` foreign key."""

    def visible_to(self, user: User) -> Self:
        if user.sees_all_offices:
            return self
        if user.office_id is None:
            return self.none()
        return self.filter(office_id=user.office_id)


class UserQuerySet(OfficeScopedQuerySet["User"]):
    def customer_advisors(self) -> UserQuerySet:
        """Active staff holding the customer-advisor function: the only ones to assign."""
        return self.filter(is_active=True, is_customer_advisor=True)

    def with_two_factor(self) -> UserQuerySet:
        """Annotates ``two_factor_on``: the person has a confirmed authenticator (TOTP)."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        confirmed = TOTPDevice.objects.filter(user=models.OuterRef("pk"), confirmed=True)
        return self.annotate(two_factor_on=models.Exists(confirmed))


class StaffManager(UserManager["User"]):
    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def visible_to(self, user: User) -> UserQuerySet:
        return self.get_queryset().visible_to(user)

    def customer_advisors(self) -> UserQuerySet:
        return self.get_queryset().customer_advisors()


class User(AbstractUser):
    """A staff member of an office; the login account and the staff record are one row."""

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
    )
    post = models.CharField(_("post"), max_length=20, choices=Post.choices, blank=True)
    is_customer_advisor = models.BooleanField(
        _("customer advisor"),
        default=False,
        help_text=_("Holds the customer advisor (doradca klienta) function."),
    )
    is_national_admin = models.BooleanField(
        _("national administrator"),
        default=False,
        help_text=_("Sees every office. Only for the operator's administrators."),
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when a manager gives an initial password; cleared by the change."),
    )
    # Kept in step with the confirmed authenticator (offices.two_factor): read from the user row
    # every request loads anyway, so every session of the user, also one signed in before the
    # authenticator was set up elsewhere, must give the code.
    has_two_factor = models.BooleanField(
        _("two-factor login"), default=False, db_default=False, editable=False
    )

    objects = StaffManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["last_name", "first_name"]
        permissions = [
            ("manage_staff", _("Can create, edit and deactivate staff of own office")),
        ]
        constraints = [
            # Everyone but a national administrator or a superuser works in one office.
            models.CheckConstraint(
                condition=models.Q(office__isnull=False)
                | models.Q(is_national_admin=True)
                | models.Q(is_superuser=True),
                name="user_office_required",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def sees_all_offices(self) -> bool:
        return self.is_national_admin or self.is_superuser

    @property
    def roles(self) -> frozenset[str]:
        """Role names from the user's groups, read once per request."""
        cached: frozenset[str] | None = getattr(self, "_roles_cache", None)
        if cached is None:
            names = self.groups.values_list("name", flat=True)
            cached = frozenset(n for n in names if n in Role.values)
            self._roles_cache = cached
        return cached

    @property
    def role(self) -> Role | None:
        """The highest role held, for display."""
        for role in (Role.ADMIN, Role.MANAGER, Role.ADVISOR):
            if role in self.roles:
                return role
        return None

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or bool(self.roles.intersection(roles))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.__dict__.pop("_roles_cache", None)
        super().save(*args, **kwargs)
