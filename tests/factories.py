"""factory-boy factories: each builds a valid object; tests override what they assert on."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import (
    Adopter,
    Case,
    Child,
    JourneyEvent,
    JourneyStage,
    Organisation,
    Region,
    Service,
    StaffMember,
    Team,
)

PASSWORD = "qaportal-test"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Council {n}")
    slug = factory.Sequence(lambda n: f"council-{n}")
    kind = Organisation.Kind.COUNCIL


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    kind = Service.Kind.LOOKED_AFTER


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    service = factory.SubFactory(ServiceFactory)
    organisation = factory.SelfAttribute("service.organisation")
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class StaffMemberFactory(factory.django.DjangoModelFactory):
    """A practitioner unless told otherwise; the traits make the other roles."""

    class Meta:
        model = StaffMember

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    organisation = factory.SelfAttribute("team.organisation")
    service = factory.SelfAttribute("team.service")
    role = StaffMember.Role.PRACTITIONER
    tier = StaffMember.Tier.NONE

    class Params:
        team_manager = factory.Trait(role=StaffMember.Role.TEAM_MANAGER, tier=StaffMember.Tier.TEAM)
        service_manager = factory.Trait(
            role=StaffMember.Role.SERVICE_MANAGER, tier=StaffMember.Tier.SERVICE
        )
        qa = factory.Trait(role=StaffMember.Role.QA, tier=StaffMember.Tier.SERVICE)
        senior_leader = factory.Trait(
            role=StaffMember.Role.SENIOR_LEADER, tier=StaffMember.Tier.HEAD_OF_SERVICE
        )
        business_support = factory.Trait(role=StaffMember.Role.BUSINESS_SUPPORT)
        regional_lead = factory.Trait(role=StaffMember.Role.REGIONAL_LEAD)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"CH{n:06d}")
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=3000)
    )
    gender = Child.Gender.FEMALE
    ethnicity = Child.Ethnicity.WBRI


class AdopterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adopter

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"AD{n:05d}")
    household_name = factory.Faker("last_name", locale="en_GB")
    household = Adopter.Household.COUPLE


class CaseFactory(factory.django.DjangoModelFactory):
    """An open child case in a team; pass adopter=... and child=None for an adopter case."""

    class Meta:
        model = Case

    team = factory.SubFactory(TeamFactory)
    service = factory.SelfAttribute("team.service")
    organisation = factory.SelfAttribute("team.organisation")
    child = factory.SubFactory(ChildFactory, organisation=factory.SelfAttribute("..organisation"))
    adopter = None
    allocated_worker = None
    status = Case.Status.OPEN
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    journey_stage = JourneyStage.LOOKED_AFTER


class JourneyEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JourneyEvent

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SelfAttribute("case.organisation")
    kind = JourneyEvent.Kind.VISIT
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    recorded_on = factory.SelfAttribute("occurred_on")
    seen = True
    seen_alone = True
