"""Change history (django-auditlog) of the staff records, which hold personal data."""

from auditlog.registry import auditlog

from labour_office.offices.models import Office, User

auditlog.register(Office)
auditlog.register(User, exclude_fields=["password", "last_login"], m2m_fields={"groups"})
