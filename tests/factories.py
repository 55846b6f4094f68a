from typing import Any

import factory
from django.contrib.auth.models import Group

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
