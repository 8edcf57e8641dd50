"""The demo's requests and tasks: enough of each kind to try every journey, loaded once."""

import datetime

from django.db.models import Count
from django.utils import timezone

from kotove import demo as kotove_demo
from pankki import demo
from pankki.models import Expert, RequestAnswer, Task, TaskRequest


def test_demo_has_tasks_and_requests_of_every_kind_and_loads_once(db, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(demo, "COUNT", 80)  # the whole demo's 600 experts take long to build
    kotove_demo.load()
    demo.load()
    today = timezone.localdate()
    tasks = Task.objects.all()
    by_status = dict(tasks.values_list("status").annotate(n=Count("pk")))
    assert by_status["done"] > 100 and by_status["cancelled"] > 5 and by_status["agreed"] >= 5
    assert tasks.filter(date__lt=today - datetime.timedelta(days=600)).exists()
    assert tasks.filter(status="done", date__gte=today - datetime.timedelta(days=7)).count() >= 5
    assert tasks.filter(status="agreed", date__gt=today).count() >= 5
    assert not tasks.filter(status="agreed", date__lt=today).exists()
    # more tasks where the orderers are: the three biggest places hold a large share
    places = list(
        tasks.exclude(municipality=None)
        .values_list("municipality__name_fi")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    assert places[0][0] in {"Helsinki", "Tampere", "Turku", "Espoo", "Oulu"}
    answers = dict(RequestAnswer.objects.values_list("status").annotate(n=Count("pk")))
    assert answers["pending"] >= 8 and answers["declined"] >= 4 and answers["withdrawn"] >= 2
    assert Task.objects.filter(answer__isnull=False).count() == answers["accepted"]
    assert RequestAnswer.objects.filter(status="pending", via_organisation=True).exists()
    own = Expert.objects.get(user__email="kokemustoimija@demo.kokemus.fi")
    assert own.tasks.filter(status="done").count() >= 3
    assert own.request_answers.filter(status="pending").exists()

    counts = (Task.objects.count(), TaskRequest.objects.count(), RequestAnswer.objects.count())
    demo.load()
    assert (
        Task.objects.count(),
        TaskRequest.objects.count(),
        RequestAnswer.objects.count(),
    ) == counts
