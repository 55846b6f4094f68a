from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from labour_office.admin_scoping import ReadOnlyAdmin
from labour_office.offices.models import User
from profiling import services
from profiling.models import (
    AnswerOption,
    Assessment,
    FormOfAssistance,
    Question,
    QuestionnaireVersion,
)


class QuestionInline(admin.TabularInline[Question, QuestionnaireVersion]):
    model = Question
    fields = ["number", "key", "source", "dimension", "text_pl", "multiple", "max_score"]
    extra = 0
    show_change_link = True


class AnswerOptionInline(admin.TabularInline[AnswerOption, Question]):
    model = AnswerOption
    fields = ["order", "key", "label_pl", "label_en", "score", "exclusive"]
    extra = 0


def _published(obj: Any) -> bool:
    if isinstance(obj, AnswerOption):
        obj = obj.question
    version = getattr(obj, "version", obj)
    return bool(version is not None and getattr(version, "is_published", False))


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin[QuestionnaireVersion]):
    list_display = [
        "code",
        "regime",
        "is_published",
        "published_at",
        "distance_high_at_or_above",
        "readiness_low_at_or_above",
    ]
    list_filter = ["is_published", "regime"]
    search_fields = ["code", "regime"]
    date_hierarchy = "published_at"
    readonly_fields = ["is_published", "published_at"]
    inlines = [QuestionInline]
    actions = ["copy_as_draft", "publish"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A published version never changes: past assessments must recompute the same.
        return super().has_change_permission(request, obj) and not _published(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not _published(obj)

    @admin.action(description=_("Copy as a new draft version"))
    def copy_as_draft(self, request: HttpRequest, queryset: QuerySet[QuestionnaireVersion]) -> None:
        user: User = request.user  # type: ignore[assignment]
        for version in queryset:
            code = f"{version.code}-draft-{QuestionnaireVersion.objects.count() + 1}"
            services.questionnaire_version_copy(acting_user=user, version=version, code=code)
            self.message_user(request, _("Draft %(code)s created.") % {"code": code})

    @admin.action(description=_("Publish"))
    def publish(self, request: HttpRequest, queryset: QuerySet[QuestionnaireVersion]) -> None:
        user: User = request.user  # type: ignore[assignment]
        for version in queryset:
            try:
                services.questionnaire_version_publish(acting_user=user, version=version)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, _("%(code)s published.") % {"code": version.code})


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin[Question]):
    list_display = ["version", "number", "key", "dimension", "source"]
    list_filter = ["version", "dimension", "source"]
    list_select_related = ["version"]
    search_fields = ["key", "text_pl", "text_en", "version__code"]
    autocomplete_fields = ["version"]
    inlines = [AnswerOptionInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not _published(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not _published(obj)


@admin.register(AnswerOption)
class AnswerOptionAdmin(admin.ModelAdmin[AnswerOption]):
    """Options of a draft version may be corrected; a published version's never change."""

    list_display = ["question", "order", "key", "label_pl", "score", "exclusive"]
    list_filter = ["question__version", "exclusive"]
    list_select_related = ["question"]
    search_fields = ["key", "label_pl", "label_en", "question__key"]
    autocomplete_fields = ["question"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not _published(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not _published(obj)


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    """Profiling is the advisor's decision, taken through the interview pages: read only."""

    office_path = "client__office"
    client_path = "client"
    list_display = [
        "client",
        "status",
        "proposed_profile",
        "final_profile",
        "determined_on",
        "is_current",
        "version",
    ]
    list_filter = ["status", "final_profile", "trigger", "is_current", "version"]
    list_select_related = ["client", "version"]
    search_fields = ["client__pesel", "client__last_name"]
    autocomplete_fields = ["client", "registration", "version", "determined_by", "created_by"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(FormOfAssistance)
class FormOfAssistanceAdmin(admin.ModelAdmin[FormOfAssistance]):
    list_display = [
        "seed_item",
        "code",
        "name_pl",
        "access_i",
        "access_ii",
        "access_iii",
        "open_to_jobseekers",
        "mark",
        "is_active",
    ]
    list_editable = ["access_i", "access_ii", "access_iii", "open_to_jobseekers", "is_active"]
    list_filter = ["access_i", "access_ii", "access_iii", "mark", "is_active"]
    search_fields = ["code", "name_pl", "name_en", "legal_basis"]
    readonly_fields = ["code", "seed_item", "mark"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
