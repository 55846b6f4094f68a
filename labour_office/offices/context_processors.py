from typing import Any

from django.http import HttpRequest


def staff(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's office and role, shown on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"current_office": user.office, "current_role": user.role}
