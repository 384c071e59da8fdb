import uuid
from datetime import time

import factory
from django.utils import timezone

from rounds.models import Service, ServiceLocation, ServiceSchedule, TaxonomyTerm
from tests.microcomm.factories import OrganisationFactory


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Walking group {n}")
    provider_organisation = factory.SubFactory(OrganisationFactory)
    description = "A friendly walk round the park, then a cup of tea."
    venue = "Memorial Park"
    postcode = "S80 2AB"
    status = Service.Status.ACTIVE
    cost = Service.Cost.FREE
    join_self_referral = True
    join_link_worker_referral = True
    contact_email = "walks@example.org"
    last_verified_on = factory.LazyFunction(timezone.localdate)
    oruk_id = factory.LazyFunction(lambda: str(uuid.uuid4()))

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def localities(self, create, extracted, **kwargs):
        if create and extracted:
            self.localities.set(extracted)

    @factory.post_generation
    def days(self, create, extracted, **kwargs):
        if create and extracted:
            for day in extracted:
                ServiceScheduleFactory(service=self, weekday=day)


class ServiceScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceSchedule

    service = factory.SubFactory(ServiceFactory)
    weekday = ServiceSchedule.Weekday.TUESDAY
    opens_at = time(10, 0)
    closes_at = time(12, 0)


class ServiceLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLocation

    service = factory.SubFactory(ServiceFactory)
    name = "Memorial Park pavilion"
    address = "1 Park Road, Worksop"
    postcode = "S80 2AB"


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm

    oruk_id = factory.LazyFunction(lambda: str(uuid.uuid4()))
    name = factory.Sequence(lambda n: f"Term {n}")
    vocabulary = "esd"
