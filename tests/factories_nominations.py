"""Factories for calls, nominators and nominations."""

from datetime import timedelta

import factory
from django.utils import timezone

from nominations.models import Call, Nomination, Nominator

from .factories import CountryFactory, UserFactory, WorkshopFactory


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        skip_postgeneration_save = True

    workshop = factory.SubFactory(WorkshopFactory)
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    seats_per_country = 2
    require_gender = False

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)


class NominatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nominator

    call = factory.SubFactory(CallFactory)
    user = factory.SubFactory(UserFactory)
    country = factory.SubFactory(CountryFactory)


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    call = factory.SubFactory(CallFactory)
    country = factory.SubFactory(CountryFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Sequence(lambda n: f"Nominee{n}")
    email = factory.Sequence(lambda n: f"nominee{n}@example.org")
    institution = "Ministry of Public Service"
    position = "Director"
    seniority = Nomination.Seniority.SENIOR
    gender = Nomination.Gender.WOMAN
    motivation = "Leads the e-government unit."
