import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from microcomm.models import LegalForm, Locality, Membership, Organisation, Theme, User
from microcomm.permissions import COMMISSIONER_GROUP, LINK_WORKER_GROUP

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))


def commissioner(**kwargs):
    return UserFactory(roles=[COMMISSIONER_GROUP], **kwargs)


def link_worker(**kwargs):
    return UserFactory(roles=[LINK_WORKER_GROUP], **kwargs)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Group {n}")
    legal_form = LegalForm.UNINCORPORATED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.OWNER


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality

    name = factory.Sequence(lambda n: f"Ward {n}")
    kind = Locality.Kind.WARD


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")
