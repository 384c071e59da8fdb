import factory

from rounds.models import JsnaPriority, Need, NeedSignal, PopulationGroup
from tests.microcomm.factories import LocalityFactory, ThemeFactory


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    theme = factory.SubFactory(ThemeFactory)
    locality = factory.SubFactory(LocalityFactory)
    source = Need.Source.CASELOAD
    title = factory.Sequence(lambda n: f"Need number {n}")
    description = "No group meets in the evenings."


class NeedSignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedSignal

    need = factory.SubFactory(NeedFactory)
    note = "Nothing nearby"


class JsnaPriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JsnaPriority

    title = factory.Sequence(lambda n: f"JSNA priority {n}")


def need_with_signals(count: int, **kwargs) -> Need:
    """A need whose signal_count matches its signals, as the services keep it."""
    need = NeedFactory(signal_count=count, **kwargs)
    NeedSignalFactory.create_batch(count, need=need)
    return need


def population_group(slug: str) -> PopulationGroup:
    return PopulationGroup.objects.get(slug=slug)
