import factory
from django.contrib.auth import get_user_model

from apps.organizations.identifiers import brn_check_digit, crn_check_digit
from apps.organizations.models import Membership, MembershipRole, Organization, SizeClass


def make_brn(n: int, kind: str = "81") -> str:
    """The n-th valid business registration number of a kind (digits 4–5), as stored digits."""
    first_nine = f"{100 + (n // 10_000) % 900:03d}{kind}{n % 10_000:04d}"
    return f"{first_nine}{brn_check_digit(first_nine)}"


def make_crn(n: int) -> str:
    first_twelve = f"110111{n % 1_000_000:06d}"
    return f"{first_twelve}{crn_check_digit(first_twelve)}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_ko = factory.Sequence(lambda n: f"상생기업 {n}")
    name_en = factory.Sequence(lambda n: f"Win-Win Company {n}")
    business_registration_number = factory.Sequence(lambda n: make_brn(5_000 + n))
    size_class = SizeClass.LARGE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = MembershipRole.FINANCE_OFFICER
