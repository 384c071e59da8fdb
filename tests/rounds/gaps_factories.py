"""Factories for the gap analysis tests: needs and services created directly."""

import factory

from microcomm.models import Locality
from rounds.models import Need, PopulationGroup, Service
from tests.microcomm.factories import LocalityFactory, ThemeFactory


class PcnFactory(LocalityFactory):
    name = factory.Sequence(lambda n: f"Test PCN {n}")
    kind = Locality.Kind.PCN


class WardFactory(LocalityFactory):
    name = factory.Sequence(lambda n: f"Test Ward {n}")
    kind = Locality.Kind.WARD
    parent = factory.SubFactory(PcnFactory)


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need
        skip_postgeneration_save = True

    theme = factory.SubFactory(ThemeFactory)
    locality = factory.SubFactory(WardFactory)
    title = factory.Sequence(lambda n: f"Unmet need {n}")
    status = Need.Status.OPEN
    signal_count = 1

    @factory.post_generation
    def population_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.population_groups.set(extracted)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community activity {n}")
    status = Service.Status.ACTIVE
    capacity_per_week = 10
    waiting_list = 0

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def localities(self, create, extracted, **kwargs):
        if create and extracted:
            self.localities.set(extracted)


def population_group(slug: str) -> PopulationGroup:
    """One of the groups the data migration creates, such as "carers" or "65-and-over"."""
    return PopulationGroup.objects.get(slug=slug)
