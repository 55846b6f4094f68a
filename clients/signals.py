"""Events other apps act on inside the same transaction (the IPD ends with the registration)."""

from django.dispatch import Signal

# Sent by ``registration_close`` inside its transaction: registration, acting_user.
registration_closed = Signal()

# Sent by ``advisor_bulk_reassign`` inside its transaction: client_ids, advisor.
advisors_changed = Signal()
