"""The demo's requests and tasks: enough of each kind to try every journey, loaded once."""

import datetime

from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from pankki import demo
from pankki.models import Expert, RequestAnswer, Task, TaskRequest


def test_demo_has_tasks_and_requests_of_every_kind_and_loads_once(db, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(demo, "COUNT", 150)  # the whole demo's 600 experts take long to build
    call_command("load_demo")
    today = timezone.localdate()
    tasks = Task.objects.all()
    by_status = dict(tasks.values_list("status").annotate(n=Count("pk")))
    assert by_status["done"] > 200 and by_status["cancelled"] > 10 and by_status["agreed"] > 10
    assert tasks.filter(date__lt=today - datetime.timedelta(days=600)).exists()
    assert tasks.filter(status="done", date__gte=today - datetime.timedelta(days=7)).count() >= 5
    assert tasks.filter(status="agreed", date__gt=today).count() >= 8
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
    call_command("load_demo")
    assert (
        Task.objects.count(),
        TaskRequest.objects.count(),
        RequestAnswer.objects.count(),
    ) == counts
