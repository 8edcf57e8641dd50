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
