"""Demo data for the quick start: offices, staff in every role, their logins, and clients.

Idempotent: running it again changes nothing that exists. Later apps add their demo records;
the clients app adds people in every state of the flow, employers, surname letter ranges and a
substitution (``clients/demo.py``).
"""

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import translation

from labour_office.offices.models import Office, Post, Role, User

DEMO_PASSWORD = "Demo-PUP-2026"  # noqa: S105 - printed for the quick start, demo data only

OFFICES = [
    # name, TERYT poviat, street, postal code, city
    ("Powiatowy Urząd Pracy w Piasecznie", "1418", "ul. Kościuszki 5", "05-500", "Piaseczno"),
    ("Powiatowy Urząd Pracy w Wołominie", "1434", "ul. Legionów 78", "05-200", "Wołomin"),
    ("Powiatowy Urząd Pracy w Nowym Sączu", "1210", "ul. Węgierska 146", "33-300", "Nowy Sącz"),
    ("Powiatowy Urząd Pracy w Gnieźnie", "3003", "ul. Sobieskiego 8", "62-200", "Gniezno"),
]


@dataclass(frozen=True)
class DemoStaff:
    username: str
    first_name: str
    last_name: str
    role: Role
    post: Post
    advisor: bool
    office_index: int


STAFF = [
    DemoStaff("doradca", "Anna", "Kowalska", Role.ADVISOR, Post.JOB_PLACEMENT_OFFICER, True, 0),
    DemoStaff("doradca2", "Łukasz", "Wiśniewski", Role.ADVISOR, Post.CAREER_COUNSELLOR, True, 0),
    DemoStaff(
        "doradca3", "Małgorzata", "Zielińska", Role.ADVISOR, Post.DEVELOPMENT_SPECIALIST, True, 0
    ),
    DemoStaff("kierownik", "Tomasz", "Nowak", Role.MANAGER, Post.PROGRAMME_SPECIALIST, False, 0),
    DemoStaff("admin", "Barbara", "Lewandowska", Role.ADMIN, Post.PROGRAMME_SPECIALIST, False, 0),
    DemoStaff(
        "doradca.wolomin", "Piotr", "Wójcik", Role.ADVISOR, Post.JOB_PLACEMENT_OFFICER, True, 1
    ),
    DemoStaff(
        "doradca2.wolomin", "Katarzyna", "Mazur", Role.ADVISOR, Post.CAREER_COUNSELLOR, True, 1
    ),
    DemoStaff(
        "kierownik.wolomin", "Ewa", "Kamińska", Role.MANAGER, Post.CAREER_COUNSELLOR, False, 1
    ),
    DemoStaff(
        "doradca.nowysacz", "Krzysztof", "Duda", Role.ADVISOR, Post.JOB_PLACEMENT_OFFICER, True, 2
    ),
    DemoStaff(
        "kierownik.nowysacz", "Jolanta", "Sikora", Role.MANAGER, Post.PROGRAMME_SPECIALIST, False, 2
    ),
    DemoStaff(
        "doradca.gniezno", "Michał", "Nowicki", Role.ADVISOR, Post.JOB_PLACEMENT_OFFICER, True, 3
    ),
    DemoStaff(
        "kierownik.gniezno", "Beata", "Jankowska", Role.MANAGER, Post.CAREER_COUNSELLOR, False, 3
    ),
]

DEFAULT_CLIENTS = 60


class Command(BaseCommand):
    help = (
        "Create idempotent demo data (offices, staff, clients in every state, employers) and "
        "print the demo logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--offices", type=int, default=2, help="How many demo offices (1 to 4)."
        )
        parser.add_argument(
            "--clients",
            type=int,
            default=DEFAULT_CLIENTS,
            help=f"How many demo clients in all the offices (default {DEFAULT_CLIENTS}).",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        # Journal entries are written in the office's language, as at the desk.
        translation.activate(settings.LANGUAGE_CODE)
        count = max(1, min(options["offices"], len(OFFICES)))
        offices = [self._office(*row) for row in OFFICES[:count]]
        created = [self._staff(person, offices) for person in STAFF if person.office_index < count]
        national, _ = User.objects.get_or_create(
            username="krajowy",
            defaults={
                "first_name": "Jan",
                "last_name": "Krajewski",
                "is_national_admin": True,
                "is_staff": True,
            },
        )
        if not national.has_usable_password():
            national.set_password(DEMO_PASSWORD)
            national.save(update_fields=["password"])
        national.groups.set([Group.objects.get(name=Role.ADMIN)])
        # Imported here: the offices app does not depend on the clients app.
        from clients.demo import seed_clients

        started = time.monotonic()
        summary = seed_clients(offices=offices, count=options["clients"], stdout=self.stdout)
        from profiling.demo import seed_profiles

        profiles = seed_profiles(offices=offices)
        seconds = time.monotonic() - started
        from ipd.demo import seed_plans, summary_line

        plans = seed_plans(offices=offices)
        from job_clubs import demo as club_demo

        clubs = club_demo.seed_clubs(offices=offices)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(offices)} offices."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for person in [*created, national]:
            office = person.office.name if person.office else "wszystkie urzędy"
            role = person.role.label if person.role else "-"
            self.stdout.write(f"  {person.username:<20} {role:<15} {office}")
        for line in [*summary.lines(), *profiles, summary_line(plans)]:
            self.stdout.write(line)
        self.stdout.write(club_demo.summary_line(clubs))
        if summary.created:
            self.stdout.write(f"({summary.created} clients made in {seconds:.1f} s.)")

    def _office(self, name: str, teryt: str, street: str, postal: str, city: str) -> Office:
        office, _ = Office.objects.get_or_create(
            name=name,
            defaults={
                "teryt_powiat": teryt,
                "street": street,
                "postal_code": postal,
                "city": city,
                "phone": "+48 22 000 00 00",
                "email": f"pup.{city.lower().replace(' ', '')}@example.org",
            },
        )
        return office

    def _staff(self, person: DemoStaff, offices: list[Office]) -> User:
        user, created = User.objects.get_or_create(
            username=person.username,
            defaults={
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": f"{person.username}@example.org",
                "office": offices[person.office_index],
                "post": person.post,
                "is_customer_advisor": person.advisor,
                "is_staff": person.role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.set([Group.objects.get(name=person.role)])
        return user
