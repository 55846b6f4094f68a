"""Helpers shared by the apps' forms."""

from typing import Any

from django.core.exceptions import ValidationError


def add_service_errors(form: Any, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when it names one the form
    has, else above the form. The form keeps what the user typed."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
