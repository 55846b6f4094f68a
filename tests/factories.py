from datetime import date, timedelta
from typing import Any

import factory
from django.contrib.auth.models import Group
from stdnum.pl.pesel import calc_check_digit

from clients.models import AdvisorAssignment, AssignmentKind, Client, Registration, Status
from labour_office.offices.models import Office, Post, Role, User

PASSWORD = "Test-haslo-2026"


class OfficeFactory(factory.django.DjangoModelFactory[Office]):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"Powiatowy Urząd Pracy nr {n}")
    teryt_powiat = factory.Sequence(lambda n: f"{1401 + n % 98:04d}")
    street = "ul. Długa 1"
    postal_code = "00-950"
    city = "Warszawa"
    email = factory.Sequence(lambda n: f"pup{n}@example.org")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="pl_PL")
    last_name = factory.Faker("last_name", locale="pl_PL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    office = factory.SubFactory(OfficeFactory)
    post = Post.JOB_PLACEMENT_OFFICER
    is_customer_advisor = True
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        role = extracted or Role.ADVISOR
        if create:
            self.groups.set([Group.objects.get(name=role)])
            if role == Role.ADMIN and not self.is_staff:
                self.is_staff = True
                self.save(update_fields=["is_staff"])


# Month offsets of the PESEL by century (identifiers.md): 1800s +80, 1900s +0, 2000s +20...
PESEL_MONTH_OFFSET = {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}


def make_pesel(birth: date, sex: str, serial: int = 0) -> str:
    """A valid PESEL for any birth date from 1800 to 2299; ``serial`` (0-4999) keeps numbers
    of people born on the same day and of the same sex apart."""
    month = birth.month + PESEL_MONTH_OFFSET[birth.year // 100]
    sex_digit = (serial % 5) * 2 + (1 if sex == "M" else 0)
    head = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{serial // 5 % 1000:03d}{sex_digit}"
    return head + str(calc_check_digit(head))


class ClientFactory(factory.django.DjangoModelFactory[Client]):
    """A client record with a valid PESEL; birth date and sex agree with it. No registration:
    use clients.services.client_register when the registration rules matter."""

    class Meta:
        model = Client

    office = factory.SubFactory(OfficeFactory)
    first_name = factory.Faker("first_name", locale="pl_PL")
    last_name = factory.Faker("last_name", locale="pl_PL")
    sex = factory.Iterator(["F", "M"])
    birth_date = factory.Sequence(lambda n: date(1970, 1, 1) + timedelta(days=n % 12000))
    pesel = factory.LazyAttributeSequence(lambda o, n: make_pesel(o.birth_date, o.sex, n % 5000))
    city = "Piaseczno"
    education_level = "higher"


class RegistrationFactory(factory.django.DjangoModelFactory[Registration]):
    """An open registration period as unemployed, in the client's office."""

    class Meta:
        model = Registration

    client = factory.SubFactory(ClientFactory)
    office = factory.SelfAttribute("client.office")
    status = Status.UNEMPLOYED
    registered_on = date(2026, 1, 5)
    created_by = factory.SubFactory(UserFactory, office=factory.SelfAttribute("..office"))


class AdvisorAssignmentFactory(factory.django.DjangoModelFactory[AdvisorAssignment]):
    """The client's current customer advisor."""

    class Meta:
        model = AdvisorAssignment

    client = factory.SubFactory(ClientFactory)
    advisor = factory.SubFactory(UserFactory, office=factory.SelfAttribute("..client.office"))
    kind = AssignmentKind.LEAST_CASELOAD
    assigned_by = factory.SelfAttribute("advisor")
