from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.pesel import validate_pesel
from clients.validators import validate_nip, validate_regon
from labour_office.languages import in_language
from labour_office.offices.models import Office, OfficeScopedQuerySet, postal_code_validator


class Mark(models.TextChoices):
    """How sure the source of a rule is (domain README, status legend)."""

    LAW = "law", _("law")
    SEED = "seed", _("ministry's pages")
    RECONSTRUCTION = "reconstruction", _("reconstruction")
    APPROXIMATION = "approximation", _("approximation")


class Dictionary(models.Model):
    """A code list an administrator can change: a Polish and an English name, an order."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    mark = models.CharField(_("source"), max_length=20, choices=Mark.choices)
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_pl, self.name_en)


class JobseekerCategory(Dictionary):
    """Why a person registers as a jobseeker (domain: clients.md; seed 004)."""

    class Meta(Dictionary.Meta):
        verbose_name = _("jobseeker category")
        verbose_name_plural = _("jobseeker categories")


class Status(models.TextChoices):
    UNEMPLOYED = "unemployed", _("unemployed")
    JOBSEEKER = "jobseeker", _("jobseeker")


class DeregistrationReason(Dictionary):
    """Why a registration ended (domain: clients.md, deregistration)."""

    applies_to = models.CharField(
        _("applies to"),
        max_length=20,
        choices=Status.choices,
        blank=True,
        help_text=_("Empty: both statuses."),
    )

    class Meta(Dictionary.Meta):
        verbose_name = _("deregistration reason")
        verbose_name_plural = _("deregistration reasons")


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")


class EducationLevel(models.TextChoices):
    """The GUS levels used in labour-market statistics."""

    HIGHER = "higher", _("higher")
    VOCATIONAL_SECONDARY = "vocational_secondary", _("post-secondary and vocational secondary")
    GENERAL_SECONDARY = "general_secondary", _("general secondary")
    BASIC_VOCATIONAL = "basic_vocational", _("basic vocational")
    LOWER_SECONDARY_OR_LESS = "lower_secondary", _("lower secondary, primary or less")


class DisabilityDegree(models.TextChoices):
    NONE = "", _("none")
    MILD = "mild", _("mild")
    MODERATE = "moderate", _("moderate")
    SEVERE = "severe", _("severe")


class LanguageLevel(models.TextChoices):
    GOOD = "good", _("good: can work in it")
    BASIC = "basic", _("basic")
    NONE = "none", _("none")


class DocumentLanguage(models.TextChoices):
    """Languages the office prints client documents in (IPD, profile information)."""

    POLISH = "pl", _("Polish")
    ENGLISH = "en", _("English")
    UKRAINIAN = "uk", _("Ukrainian")
    BELARUSIAN = "be", _("Belarusian")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("passport")
    ID_CARD = "id_card", _("identity card")
    RESIDENCE_CARD = "residence_card", _("residence card")
    OTHER = "other", _("other document")


DRIVING_LICENCES = [
    (c, c)
    for c in (
        "AM",
        "A1",
        "A2",
        "A",
        "B1",
        "B",
        "BE",
        "C1",
        "C1E",
        "C",
        "CE",
        "D1",
        "D1E",
        "D",
        "DE",
        "T",
    )
]

teryt_terc_validator = RegexValidator(r"^\d{7}$", _("A TERYT commune code has 7 digits."))


class ClientQuerySet(OfficeScopedQuerySet["Client"]):
    pass


class EmployerQuerySet(OfficeScopedQuerySet["Employer"]):
    pass


class Client(models.Model):
    """A person registered (now or before) as unemployed or jobseeker: the registration card.

    One record per person across the whole database (unique PESEL); a returning person gets a
    new registration period on the same record. ``office`` is the office responsible now.
    """

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="clients"
    )
    # Identity
    first_name = models.CharField(_("first name"), max_length=100)
    second_name = models.CharField(_("second name"), max_length=100, blank=True)
    last_name = models.CharField(_("surname"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=150, blank=True)
    # NULL, not "", for people without a PESEL: the unique constraint skips NULLs.
    pesel = models.CharField(  # noqa: DJ001
        "PESEL", max_length=11, null=True, blank=True, validators=[validate_pesel]
    )
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("place of birth"), max_length=100, blank=True)
    document_type = models.CharField(
        _("identity document"), max_length=20, choices=DocumentType.choices, blank=True
    )
    document_number = models.CharField(_("document series and number"), max_length=40, blank=True)
    document_country = models.CharField(_("issuing country"), max_length=100, blank=True)
    citizenship = models.CharField(_("citizenship"), max_length=100, default="polskie")
    # Contact
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=6, blank=True, validators=[postal_code_validator]
    )
    city = models.CharField(_("city"), max_length=100)
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    powiat = models.CharField(_("poviat"), max_length=100, blank=True)
    teryt_terc = models.CharField(
        _("TERYT commune code"), max_length=7, blank=True, validators=[teryt_terc_validator]
    )
    document_language = models.CharField(
        _("language of printed documents"),
        max_length=2,
        choices=DocumentLanguage.choices,
        default=DocumentLanguage.POLISH,
        help_text=_("The individual action plan and other documents are printed in it."),
    )
    # Education, occupation, skills
    education_level = models.CharField(
        _("education"), max_length=30, choices=EducationLevel.choices
    )
    occupations = models.TextField(_("occupations learned and performed"), blank=True)
    work_experience_months = models.PositiveIntegerField(
        _("total work experience (months)"), default=0
    )
    languages = models.TextField(_("foreign languages and level"), blank=True)
    language_level = models.CharField(
        _("best foreign language level"),
        max_length=10,
        choices=LanguageLevel.choices,
        default=LanguageLevel.NONE,
    )
    last_work_ended_on = models.DateField(
        _("end of the last work (or of education)"),
        null=True,
        blank=True,
        help_text=_(
            "End of the last employment or other paid work; if none, end of "
            "education. The profiling questionnaire counts the time without work from it."
        ),
    )
    driving_licences = ArrayField(
        models.CharField(max_length=3, choices=DRIVING_LICENCES),
        verbose_name=_("driving licences"),
        default=list,
        blank=True,
    )
    licences = models.TextField(_("other licences and qualifications"), blank=True)
    licences_relevant = models.BooleanField(
        _("licences relevant to the work sought"), default=False
    )
    skills = models.TextField(_("skills"), blank=True)
    # Situation
    disability_degree = models.CharField(
        _("disability degree"), max_length=10, choices=DisabilityDegree.choices, blank=True
    )
    cares_for_child_under_6 = models.BooleanField(_("cares for a child under 6"), default=False)
    cares_for_dependant = models.BooleanField(
        _("cares for a disabled child under 18 or a dependant"), default=False
    )
    receives_social_assistance = models.BooleanField(_("receives social assistance"), default=False)
    has_phone = models.BooleanField(_("has a phone"), default=True)
    has_email = models.BooleanField(_("has e-mail"), default=False)
    has_internet = models.BooleanField(_("has internet access"), default=False)
    consents_to_electronic_contact = models.BooleanField(
        _("consents to electronic contact"), default=False
    )
    # Kept by the services: folded names and PESEL for diacritics-insensitive search.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Set by the retention policy (labour_office.retention): identity and contact data removed.
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True, editable=False)

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name", "pk"]
        permissions = [("reassign_client", _("Can change the customer advisor of clients"))]
        constraints = [
            models.UniqueConstraint(
                fields=["pesel"], condition=Q(pesel__isnull=False), name="client_one_per_pesel"
            ),
            # Without a PESEL the person is identified by an identity document.
            models.CheckConstraint(
                condition=Q(pesel__isnull=False)
                | (~Q(document_type="") & ~Q(document_number="") & ~Q(document_country="")),
                name="client_pesel_or_document",
            ),
            models.UniqueConstraint(
                fields=["document_type", "document_number", "document_country"],
                condition=Q(pesel__isnull=True),
                name="client_one_per_document",
            ),
        ]
        indexes = [
            # The office and the folded names in one GIN index (btree_gin): a search at the
            # desk is one index scan of the office's matches, not the matches of the whole
            # country intersected with the office's 50,000 clients (34 ms to a few at
            # 1,000,000 clients). Searches over every office use its second column alone.
            GinIndex(
                fields=["office", "search_text"],
                opclasses=["int8_ops", "gin_trgm_ops"],
                name="client_office_search_trgm",
            ),
            models.Index(fields=["office", "last_name", "first_name"]),
            models.Index(fields=["last_name", "first_name", "birth_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from clients.search import fold

        self.search_text = fold(
            " ".join([self.first_name, self.second_name, self.last_name, self.family_name])
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("client_detail", args=[self.pk])

    @property
    def masked_pesel(self) -> str:
        return f"{self.pesel[:2]}*******{self.pesel[-2:]}" if self.pesel else ""


class Registration(models.Model):
    """A registration period: unemployed or jobseeker, from registration to deregistration."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="registrations"
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    jobseeker_category = models.ForeignKey(
        JobseekerCategory,
        verbose_name=_("jobseeker category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    registered_on = models.DateField(_("registration date"))
    deregistered_on = models.DateField(_("deregistration date"), null=True, blank=True)
    deregistration_reason = models.ForeignKey(
        DeregistrationReason,
        verbose_name=_("deregistration reason"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    deregistration_decision = models.CharField(_("decision number"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("registration period")
        verbose_name_plural = _("registration periods")
        ordering = ["-registered_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(deregistered_on__isnull=True),
                name="registration_one_open_per_client",
            ),
            models.CheckConstraint(
                condition=Q(deregistered_on__isnull=True)
                | Q(deregistered_on__gte=models.F("registered_on")),
                name="registration_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.JOBSEEKER, jobseeker_category__isnull=False)
                | (~Q(status=Status.JOBSEEKER) & Q(jobseeker_category__isnull=True)),
                name="registration_category_iff_jobseeker",
            ),
            models.CheckConstraint(
                condition=Q(deregistered_on__isnull=True, deregistration_reason__isnull=True)
                | Q(deregistered_on__isnull=False, deregistration_reason__isnull=False),
                name="registration_reason_iff_closed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["office", "status", "registered_on"],
                condition=Q(deregistered_on__isnull=True),
                name="registration_open_idx",
            ),
            # The dashboard's monthly trends: registrations and deregistrations per office.
            models.Index(fields=["office", "registered_on"], name="registration_office_start"),
            models.Index(
                fields=["office", "deregistered_on"],
                condition=Q(deregistered_on__isnull=False),
                name="registration_office_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.registered_on}"

    @property
    def is_open(self) -> bool:
        return self.deregistered_on is None


class Employer(models.Model):
    """An employer as the advisor's client: entrepreneurs, entities employing a foreigner,
    agricultural cooperatives (seed 000)."""

    class Kind(models.TextChoices):
        ENTREPRENEUR = "entrepreneur", _("entrepreneur")
        FOREIGNER_EMPLOYER = "foreigner_employer", _("entity wishing to employ a foreigner")
        AGRICULTURAL_COOPERATIVE = "agri_cooperative", _("agricultural production cooperative")
        OTHER = "other", _("other employer")

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="employers"
    )
    name = models.CharField(_("name"), max_length=300)
    nip = models.CharField("NIP", max_length=10, validators=[validate_nip])
    regon = models.CharField("REGON", max_length=14, blank=True, validators=[validate_regon])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=6, blank=True, validators=[postal_code_validator]
    )
    city = models.CharField(_("city"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["office", "nip"], name="employer_one_per_nip"),
        ]
        indexes = [
            GinIndex(OpClass("search_text", name="gin_trgm_ops"), name="employer_search_trgm"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        from clients.search import fold

        self.search_text = fold(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("employer_detail", args=[self.pk])


class EmployerContact(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


def _one_of_client_or_employer() -> Q:
    return Q(client__isnull=False, employer__isnull=True) | Q(
        client__isnull=True, employer__isnull=False
    )


class AssignmentKind(models.TextChoices):
    LETTERS = "letters", _("surname letter range")
    LEAST_CASELOAD = "caseload", _("least caseload")
    RETURN = "return", _("returning client: previous advisor")
    REASSIGNMENT = "reassignment", _("reassigned by a manager")


class AdvisorAssignment(models.Model):
    """Who is (and was) the customer advisor of a client or an employer."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer advisor"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    kind = models.CharField(_("how"), max_length=20, choices=AssignmentKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    started_at = models.DateTimeField(_("from"), default=timezone.now)
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("advisor assignment")
        verbose_name_plural = _("advisor assignments")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=_one_of_client_or_employer(), name="assignment_client_or_employer"
            ),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(ended_at__isnull=True),
                name="assignment_one_current_per_client",
            ),
            models.UniqueConstraint(
                fields=["employer"],
                condition=Q(ended_at__isnull=True),
                name="assignment_one_current_per_employer",
            ),
        ]
        indexes = [
            models.Index(
                fields=["advisor"],
                condition=Q(ended_at__isnull=True),
                name="assignment_current_by_advisor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.advisor} ({self.get_kind_display()})"


class LetterRange(models.Model):
    """Surnames from ``first_letter`` to ``last_letter`` (Polish alphabet) go to ``advisor``."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="letter_ranges")
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer advisor"),
        on_delete=models.CASCADE,
        related_name="letter_ranges",
    )
    first_letter = models.CharField(_("from letter"), max_length=1)
    last_letter = models.CharField(_("to letter"), max_length=1)

    class Meta:
        verbose_name = _("surname letter range")
        verbose_name_plural = _("surname letter ranges")
        ordering = ["office", "first_letter"]

    def __str__(self) -> str:
        return f"{self.first_letter}-{self.last_letter}: {self.advisor}"


class Substitution(models.Model):
    """While ``absent`` is away, ``substitute`` serves their clients; then they return."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="substitutions")
    absent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("absent advisor"),
        on_delete=models.PROTECT,
        related_name="absences",
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("substitute"),
        on_delete=models.PROTECT,
        related_name="substitutions",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("substitution")
        verbose_name_plural = _("substitutions")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="substitution_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(absent=models.F("substitute")), name="substitution_not_self"
            ),
        ]
        indexes = [models.Index(fields=["substitute", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.substitute} ↔ {self.absent} {self.starts_on} - {self.ends_on}"


class EntryKind(models.TextChoices):
    ADVISOR_ACTION = "advisor_action", _("advisor's action")
    CLIENT_ACTION = "client_action", _("client's action")
    COOPERATION_RULES = "cooperation_rules", _("change to the rules of cooperation")
    IPD_CHANGE = "ipd_change", _("change to the IPD")
    CONTACT = "contact", _("contact")
    SYSTEM = "system", _("system entry")


class CardEntry(models.Model):
    """The registration card journal: append-only, written by people and by the services."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, null=True, blank=True, related_name="entries"
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, null=True, blank=True, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    text = models.TextField(_("entry"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=_one_of_client_or_employer(), name="entry_client_or_employer"
            ),
        ]
        indexes = [
            models.Index(fields=["client", "-created_at"], name="entry_client_time"),
            models.Index(fields=["employer", "-created_at"], name="entry_employer_time"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()}"
