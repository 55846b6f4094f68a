from typing import Any

from django.contrib.auth.backends import ModelBackend

from labour_office.offices.models import User


class StaffBackend(ModelBackend):
    """ModelBackend that loads the user's office with the user: every page shows it."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User.objects.select_related("office").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
