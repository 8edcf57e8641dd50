"""Experts for any test of the experience bank.

    ExpertFactory()                                  # Aivoliitto, Tampere, trained, no consent
    ExpertFactory(consent=True)                      # ... with a valid consent: searchable
    ExpertFactory(responsible_organisation=org_b, themes=[theme], show_health_data=True)
    give_consent(expert, method=Consent.Method.PAPER)

Many-to-many values (themes, life_situations, task_types, audiences, travel_regions,
travel_municipalities, other_organisations) are given as lists. The search entry is written
after them, as services.save_expert does.
"""

import datetime

import factory
from django.utils import timezone

from kotove.models import MemberOrganisation, Municipality
from pankki import services
from pankki.models import Consent, Expert, WorkLanguage


def municipality(name_fi: str) -> Municipality:
    return Municipality.objects.get(name_fi=name_fi)


def organisation(name_fi: str) -> MemberOrganisation:
    return MemberOrganisation.objects.get(name_fi=name_fi)


def give_consent(expert: Expert, *, method: str = Consent.Method.ONLINE, given_at=None) -> Consent:
    """A valid consent of the current text version (written directly, no audit row)."""
    consent = Consent.objects.create(
        expert=expert,
        text_version=services.CONSENT_VERSION,
        method=method,
        given_at=given_at or timezone.now(),
    )
    Expert.objects.filter(pk=expert.pk).update(consented=True)
    expert.consented = True
    services.refresh_search_entries(expert_ids=[expert.pk])
    return consent


def _m2m(field):
    def set_values(self, create, extracted, **kwargs):
        if create and extracted:
            getattr(self, field).set(extracted)

    set_values.__name__ = field
    return factory.PostGeneration(set_values)


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    email = factory.Sequence(lambda n: f"kokemustoimija{n}@example.fi")
    phone = "040 123 4567"
    home_municipality = factory.LazyFunction(lambda: municipality("Tampere"))
    responsible_organisation = factory.LazyFunction(lambda: organisation("Aivoliitto"))
    experience_kind = Expert.ExperienceKind.OWN
    languages = factory.LazyFunction(lambda: [WorkLanguage.FI])
    presentation_fi = "Kerron kokemuksistani potilaana ja kuntoutujana."
    basic_training_date = datetime.date(2024, 5, 1)
    confirmed_at = factory.LazyFunction(timezone.now)
    shuffle = factory.Sequence(lambda n: (n * 7919) % 2**31)

    themes = _m2m("themes")
    life_situations = _m2m("life_situations")
    task_types = _m2m("task_types")
    audiences = _m2m("audiences")
    travel_regions = _m2m("travel_regions")
    travel_municipalities = _m2m("travel_municipalities")
    other_organisations = _m2m("other_organisations")

    @factory.post_generation
    def consent(self, create, extracted, **kwargs):
        """ExpertFactory(consent=True) gives a valid consent."""
        if create and extracted:
            give_consent(self)

    @factory.post_generation
    def index(self, create, extracted, **kwargs):
        """The search entry, as services.save_expert writes it."""
        if create:
            services.refresh_search_entries(expert_ids=[self.pk])
