import factory
from allauth.account.models import EmailAddress

from kotove.models import Area, MemberOrganisation, OrdererOrganisation, Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.fi")
    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class MemberOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberOrganisation

    name_fi = factory.Sequence(lambda n: f"Testiliitto {n}")
    short_name = factory.Sequence(lambda n: f"TL{n}")


class OrdererOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrdererOrganisation

    name = factory.Sequence(lambda n: f"Tilaajaorganisaatio {n}")
    kind = OrdererOrganisation.Kind.WELLBEING_COUNTY


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)


def area(name: str) -> Area:
    return Area.objects.get(name_fi=name)
