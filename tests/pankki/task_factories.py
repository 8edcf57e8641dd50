"""Requests and tasks for any test (palaute's too).

TaskFactory()                                   # agreed, in Tampere, in a week, orderer by text
TaskFactory(expert=expert, orderer_user=orderer, orderer_organisation=orderer_org)
TaskFactory(done=True)                          # done yesterday
TaskRequestFactory(orderer_organisation=orderer_org, created_by=orderer, experts=[expert])
"""

import datetime

import factory
from django.utils import timezone

from pankki import task_services
from pankki.models import Audience, RequestAnswer, Task, TaskRequest, TaskType

from .factories import ExpertFactory, municipality


def task_type(name_fi: str = "Ammattilaisten täydennyskoulutukset") -> TaskType:
    return TaskType.objects.get(name_fi=name_fi)


def audience(name_fi: str = "Sairaanhoitajat ja hoitohenkilöstö") -> Audience:
    return Audience.objects.get(name_fi=name_fi)


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


class PlacedFactory(factory.django.DjangoModelFactory):
    title = "Elämää afasian kanssa"
    task_type = factory.LazyFunction(task_type)
    audience = factory.LazyFunction(audience)
    audience_size = 25
    start_time = datetime.time(13, 0)
    end_time = datetime.time(14, 30)
    municipality = factory.LazyFunction(lambda: municipality("Tampere"))
    address = "Kuntokatu 1"
    description = "Luento sairaanhoitajille."
    language = "fi"


class TaskRequestFactory(PlacedFactory):
    class Meta:
        model = TaskRequest
        skip_postgeneration_save = True

    orderer_organisation = factory.SubFactory("tests.factories.OrdererOrganisationFactory")
    date = factory.LazyFunction(lambda: in_days(14))

    @factory.post_generation
    def experts(self, create, extracted, **kwargs):
        """TaskRequestFactory(experts=[expert, ...]) gives each a pending answer."""
        if create and extracted:
            for expert in extracted:
                RequestAnswer.objects.create(
                    request=self,
                    expert=expert,
                    via_organisation=task_services.routes_to_organisation(expert),
                )


class TaskFactory(PlacedFactory):
    class Meta:
        model = Task

    class Params:
        done = factory.Trait(
            status=Task.Status.DONE,
            date=factory.LazyFunction(lambda: in_days(-1)),
            done_at=factory.LazyFunction(timezone.now),
        )

    expert = factory.SubFactory(ExpertFactory)
    orderer_organisation_name = "Tampereen ammattikorkeakoulu"
    orderer_name = "Olli Opettaja"
    orderer_email = factory.Sequence(lambda n: f"tilaaja{n}@example.fi")
    date = factory.LazyFunction(lambda: in_days(7))
