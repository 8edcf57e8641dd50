"""Where requests start (search results, the expert's page), the links to requests and tasks,
and the planner's read-only view in admin."""

import re

from django.urls import reverse

from kotove.models import Role
from pankki.models import Expert, TaskRequest
from tests.conftest import make_actor
from tests.factories import OrdererOrganisationFactory

from .factories import ExpertFactory
from .task_factories import TaskFactory, TaskRequestFactory


def test_orderer_chooses_several_experts_from_the_results(client, orderer, national_member):
    first, second = (ExpertFactory(consent=True) for _ in range(2))
    client.force_login(orderer)
    page = client.get(reverse("pankki:search")).content.decode()
    assert f'action="{reverse("pankki:request_create")}"' in page
    assert f'name="expert" value="{first.pk}"' in page
    form = client.get(reverse("pankki:request_create") + f"?expert={first.pk}&expert={second.pk}")
    assert set(form.context["experts"]) == {first, second}
    for expert in (first, second):  # carried to the POST in hidden inputs
        assert f'name="experts" value="{expert.pk}"' in form.content.decode()
    client.force_login(national_member)  # searches the bank but orders nothing
    page = client.get(reverse("pankki:search")).content.decode()
    assert 'name="expert"' not in page


def test_the_request_form_lists_municipalities_in_the_pages_language(client, orderer):
    expert = ExpertFactory(consent=True)
    client.force_login(orderer)
    url = reverse("pankki:request_create") + f"?expert={expert.pk}"
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    select = re.search(r'<select name="municipality"[^>]*>(.*?)</select>', html, re.S)[1]
    names = re.findall(r'<option value="\d+">([^<]*)</option>', select)
    assert len(names) == 308 and "Fredrikshamn" in names and "Hamina" not in names
    assert names == sorted(names)
    assert '<option value="">' in select  # nothing chosen until the orderer chooses


def test_expert_page_offers_a_request_only_to_orderers(client, orderer, contact_a):
    expert = ExpertFactory(consent=True)
    link = reverse("pankki:request_create") + f"?expert={expert.pk}"
    client.force_login(orderer)
    assert link in client.get(reverse("pankki:expert", args=[expert.pk])).content.decode()
    client.force_login(contact_a)
    assert link not in client.get(reverse("pankki:expert", args=[expert.pk])).content.decode()


def test_orderer_with_two_organisations_chooses_one(client, orderer, orderer_org):
    other = OrdererOrganisationFactory(name="Toinen tilaaja")
    Role.objects.create(user=orderer, kind=Role.Kind.ORDERER, orderer_organisation=other)
    expert = ExpertFactory(consent=True)
    client.force_login(orderer)
    form = client.get(reverse("pankki:request_create") + f"?expert={expert.pk}").context["form"]
    assert set(form.fields["orderer_organisation"].queryset) == {orderer_org, other}


def test_task_page_shows_how_to_reach_the_expert(client, orderer, orderer_org, contact_a, org_a):
    direct = ExpertFactory(contact_visibility=Expert.ContactVisibility.DIRECT, phone="040 765 4321")
    via = ExpertFactory(responsible_organisation=org_a)
    client.force_login(orderer)
    for expert, shown, hidden in ((direct, direct.email, None), (via, contact_a.email, via.email)):
        task = TaskFactory(expert=expert, orderer_organisation=orderer_org)
        page = client.get(reverse("pankki:task_detail", args=[task.pk])).content.decode()
        assert shown in page
        assert hidden is None or hidden not in page


def test_header_and_front_page_link_each_role_to_its_requests(client, orderer, contact_a):
    expert_without_record = make_actor(Role.Kind.EXPERT)
    for user, links in (
        (orderer, ["pankki:requests", "pankki:tasks"]),
        (contact_a, ["pankki:requests", "pankki:tasks", "pankki:task_record"]),
    ):
        client.force_login(user)
        page = client.get(reverse("home")).content.decode()
        for name in links:
            assert f'href="{reverse(name)}"' in page
    client.force_login(expert_without_record)
    page = client.get(reverse("home")).content.decode()
    assert reverse("pankki:requests") not in page


def test_planner_reads_requests_and_tasks_in_admin_and_changes_nothing(
    client, planner, orderer_org, orderer
):
    expert = ExpertFactory(consent=True)
    task_request = TaskRequestFactory(
        orderer_organisation=orderer_org, created_by=orderer, experts=[expert], title="Pyyntö X"
    )
    TaskFactory(expert=expert, title="Keikka Y", done=True)
    client.force_login(planner)
    tasks = client.get(reverse("admin:pankki_task_changelist") + "?status__exact=done")
    assert "Keikka Y" in tasks.content.decode()
    requests = client.get(reverse("admin:pankki_taskrequest_changelist"))
    assert "Pyyntö X" in requests.content.decode()
    change = reverse("admin:pankki_taskrequest_change", args=[task_request.pk])
    client.post(change, {"title": "Muutettu"})
    assert TaskRequest.objects.get().title == "Pyyntö X"
