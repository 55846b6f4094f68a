"""Events other apps act on inside the same transaction."""

from django.dispatch import Signal

# Sent by ``assessment_decide`` once a profile is determined: assessment.
profile_determined = Signal()
