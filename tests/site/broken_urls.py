"""A URLconf of deliberately broken views: the fuzzer's own test shows it finds each fault."""

import uuid

from django.http import HttpResponse
from django.urls import path

from kotove.models import MemberOrganisation, User


def crashes(request):
    User.objects.filter(pk=int(request.GET.get("q", ""))).exists()
    return HttpResponse("ok")


def reflects(request):
    return HttpResponse(f"<p>{request.GET.get('q', '')}</p>")


def stores_when_refusing(request):
    MemberOrganisation.objects.create(name_fi=uuid.uuid4().hex, short_name=uuid.uuid4().hex[:20])
    return HttpResponse("<p>Korjaa virheet.</p>", status=200)


urlpatterns = [
    path("crash/", crashes),
    path("echo/", reflects),
    path("store/", stores_when_refusing),
]
