from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from profiling.models import ProfileChoice, Question


class InterviewForm(forms.Form):
    """The interview questions of a questionnaire version, one field per question."""

    def __init__(
        self, *args: Any, questions: list[Question], complete: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            choices = [(o.key, o.label) for o in question.options.all()]
            field: forms.Field
            if question.multiple:
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, required=complete
                )
            else:
                field = forms.ChoiceField(
                    choices=choices, widget=forms.RadioSelect, required=complete
                )
            field.label = f"{question.number}. {question.text}"
            field.error_messages["required"] = _("Answer this question.")
            self.fields[question.key] = field

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for question in self.questions:
            chosen = cleaned.get(question.key)
            if question.multiple and chosen and len(chosen) > 1:
                exclusive = {o.key for o in question.options.all() if o.exclusive}
                if exclusive & set(chosen):
                    self.add_error(question.key, _("“None” cannot be combined with others."))
        return cleaned


class DecisionForm(forms.Form):
    final_profile = forms.ChoiceField(
        label=_("Profile"), choices=ProfileChoice.choices, widget=forms.RadioSelect
    )
    justification = forms.CharField(
        label=_("Justification of a different profile"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you choose another profile than the proposed one."),
    )
