"""The demo training builds on the demo network and its experts, in every state, once. (The
whole demo with 600 experts runs in tests/kotove; here a few experts per area do.)"""

import pytest
from django.utils import timezone

from kotove import demo as kotove_demo
from kotove.models import Area
from koulutus import completion
from koulutus import demo as koulutus_demo
from koulutus.models import Application, Course, CourseType, RecognitionApplication
from pankki.models import Expert
from tests.pankki.factories import ExpertFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_experts():
    kotove_demo.load()
    for name in ("Pirkanmaa", "Uusimaa", "Pohjois-Pohjanmaa", "Varsinais-Suomi ja Ahvenanmaa"):
        municipality = Area.objects.get(name_fi=name).regions.first().municipalities.first()
        for n in range(5):
            ExpertFactory(
                email=f"kt.{municipality.pk}.{n}@demo.kokemus.fi", home_municipality=municipality
            )


def test_demo_training_has_every_state_and_links_the_demo_experts(demo_experts):
    koulutus_demo.load()
    counts = (Course.objects.count(), Application.objects.count(), Expert.objects.count())

    past = Course.objects.ended().filter(course_type__kind=CourseType.Kind.BASIC)
    assert past.values("area").distinct().count() == 4
    completed = Application.objects.filter(course__in=past, completed_on__isnull=False)
    assert completed.count() == 20
    for application in completed.select_related("expert", "course"):
        assert application.expert.basic_training_course == application.course.name
        assert application.expert.basic_training_date == application.completed_on

    today = timezone.localdate()
    running = Course.objects.with_dates().get(
        first_date__lt=today, last_date__gt=today, course_type__kind=CourseType.Kind.BASIC
    )
    progress = completion.for_applications(running, running.applications.participants())
    assert len(progress) == 8 and not any(p.met for p in progress.values())

    open_course = Course.objects.open_for_applications().get(course_type__kind="basic")
    assert set(open_course.applications.values_list("status", flat=True)) == set(
        Application.Status.values
    )
    contacts = {a.organisation.name_fi for a in open_course.applications.all()}
    assert contacts == {"Aivoliitto", "Suomen Syöpäyhdistys"}
    assert Course.objects.filter(course_type__kind="continuing").count() == 1
    assert Course.objects.filter(course_type__kind="supplementary").count() == 3
    assert set(RecognitionApplication.objects.values_list("status", flat=True)) == {
        "submitted",
        "approved",
    }
    assert Expert.objects.get(email="markus.mattila@demo.kokemus.fi").recognition_decision_date

    koulutus_demo.load()
    assert (Course.objects.count(), Application.objects.count(), Expert.objects.count()) == counts
