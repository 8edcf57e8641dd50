"""Demo feedback is deterministic, idempotent, and shows the small-number rule."""

from django.db.models import Count

from kotove import demo as kotove_demo
from kotove.models import User
from palaute import demo
from palaute.models import Answer, FormKind, Response
from pankki.demo import DEMO_DOMAIN
from pankki.models import Task

from ..pankki.factories import ExpertFactory


def test_demo_answers_past_tasks_once_with_finnish_free_text(db):
    kotove_demo.load()  # the demo logins; the bank's demo experts are made like these
    kaisa = User.objects.get(email=f"kokemustoimija@{DEMO_DOMAIN}")
    ExpertFactory(user=kaisa, email=kaisa.email)
    for n in range(3):
        ExpertFactory(email=f"kt{n}@{DEMO_DOMAIN}")
    demo.load()
    counts = (Response.objects.count(), Answer.objects.count(), Task.objects.count())
    demo.load()
    assert (Response.objects.count(), Answer.objects.count(), Task.objects.count()) == counts

    kaisa = Task.objects.filter(expert__user__email=f"kokemustoimija@{DEMO_DOMAIN}")
    assert kaisa.count() >= 5
    listeners = (
        Task.objects.filter(feedback_links__kind=FormKind.LISTENER)
        .annotate(n=Count("feedback_links__responses"))
        .values_list("n", flat=True)
    )
    assert any(n < 5 for n in listeners) and any(n >= 5 for n in listeners)
    texts = set(Answer.objects.exclude(text="").values_list("text", flat=True))
    assert "Oli hienoa kuulla, miltä hoito tuntui potilaan näkökulmasta." in texts
    kinds = set(Response.objects.values_list("link__kind", flat=True))
    assert kinds == {FormKind.LISTENER, FormKind.ORDERER, FormKind.SELF_EVALUATION}


def test_demo_training_feedback_once(db):
    from kotove.models import Area
    from koulutus import demo as koulutus_demo
    from koulutus.models import Course, PracticeLectureEvaluation

    kotove_demo.load()
    for name in ("Pirkanmaa", "Uusimaa", "Pohjois-Pohjanmaa", "Varsinais-Suomi ja Ahvenanmaa"):
        municipality = Area.objects.get(name_fi=name).regions.first().municipalities.first()
        for n in range(5):
            ExpertFactory(
                email=f"kt.{municipality.pk}.{n}@{DEMO_DOMAIN}", home_municipality=municipality
            )
    koulutus_demo.load()
    demo.load()
    counts = (Response.objects.count(), Answer.objects.count())
    demo.load()
    assert (Response.objects.count(), Answer.objects.count()) == counts

    per_course = dict(
        Response.objects.filter(link__kind=FormKind.COURSE)
        .values_list("link__participant__course__name")
        .annotate(n=Count("pk"))
    )
    assert per_course["Esiintymistaidon työpaja"] == 5
    assert len(per_course) == 3 and min(per_course.values()) == 3  # one shows only counts
    evaluation = PracticeLectureEvaluation.objects.get(source="feedback_form")
    assert evaluation.evaluators == ["Tuomas Kouluttaja", "Olli Ojala"]
    assert evaluation.accepted
    running = Course.objects.get(pk=evaluation.application.course_id)
    assert running.sessions.filter(date__gt=evaluation.evaluated_on).exists()  # mid-way
    assert Response.objects.filter(link__kind=FormKind.PRACTICE_LECTURE).count() == 2
