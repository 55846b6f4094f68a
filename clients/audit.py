"""Change history of the registration card and its periods (GDPR art. 15, DESIGN rule 2).

The PESEL is masked in the history; the card itself keeps the number.
"""

from auditlog.registry import auditlog

from clients.models import AdvisorAssignment, Client, Employer, EmployerContact, Registration

auditlog.register(Client, mask_fields=["pesel"], exclude_fields=["search_text", "updated_at"])
auditlog.register(Registration)
auditlog.register(AdvisorAssignment)
auditlog.register(Employer, exclude_fields=["search_text"])
auditlog.register(EmployerContact)
