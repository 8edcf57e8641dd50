"""Action plans (planned vs done, for the annual report) and development grants."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from alueet.models import ActionPlan, GrantApplication, GrantBudgetLine, PlanItem
from kotove.models import OutboundEmail, Role

from .factories import group

YEAR = timezone.localdate().year


def test_plan_items_are_planned_then_marked_done_and_counted_per_group_and_year(
    client, secretary_x, pirkanmaa
):
    client.force_login(secretary_x)
    client.post(reverse("alueet:plan_edit", args=[pirkanmaa.pk, YEAR]), {"aims": "Näkyvyys"})
    plan = ActionPlan.objects.get()
    url = reverse("alueet:plan_item_create", args=[plan.pk])
    response = client.post(url, {"kind": "event", "title": "Virkistyspäivä", "status": "planned",
                                 "budget": "-5"})  # fmt: skip
    assert "The amount cannot be below zero." in response.content.decode()
    for kind, title in [
        ("event", "Virkistyspäivä"),
        ("event", "Vertaistapaaminen"),
        ("training", "Esiintymiskoulutus"),
        ("meeting", "4 kokousta"),
    ]:
        client.post(url, {"kind": kind, "title": title, "status": "planned", "budget": "300"})
    item = PlanItem.objects.get(title="Virkistyspäivä")
    client.post(reverse("alueet:plan_item_edit", args=[item.pk]),
                {"kind": "event", "title": item.title, "status": "done", "budget": "300",
                 "outcome": "32 osallistujaa", "actual_cost": "280", "participants": "32"})  # fmt: skip
    other = ActionPlan.objects.create(group=group("Uusimaa"), year=YEAR)
    PlanItem.objects.create(plan=other, kind="event", title="Seminaari", status="done")
    rows = list(PlanItem.objects.yearly_counts())
    pirkanmaa_events = next(r for r in rows if r["group"] == pirkanmaa.pk and r["kind"] == "event")
    assert pirkanmaa_events == {
        "group": pirkanmaa.pk,
        "year": YEAR,
        "kind": "event",
        "planned": 2,
        "done": 1,
        "budget": Decimal("600.00"),
        "actual_cost": Decimal("280.00"),
        "participants": 32,
    }
    assert len(rows) == 4
    page = client.get(reverse("alueet:plan_detail", args=[pirkanmaa.pk, YEAR])).content.decode()
    assert "Budget 1200.00 €, actual costs 280.00 €." in page


def test_grant_application_lines_must_add_up_and_unusual_amounts_warn(
    client, secretary_x, pirkanmaa
):
    client.force_login(secretary_x)
    url = reverse("alueet:grant_create", args=[pirkanmaa.pk])
    data = {"year": YEAR, "purpose": "Täydentävä koulutus", "amount": "1500",
            "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0",
            "lines-0-description": "Kouluttaja", "lines-0-amount": "1000",
            "lines-1-description": "Tilavuokra", "lines-1-amount": "400"}  # fmt: skip
    response = client.post(url, data)
    assert "The budget lines add up to 1400.00 €, the amount applied for is 1500.00 €." in (
        response.content.decode()
    )
    assert not GrantApplication.objects.exists()
    response = client.post(url, data | {"lines-1-amount": "500"}, follow=True)
    page = response.content.decode()
    assert "outside the usual 200–1000 €" in page
    application = GrantApplication.objects.get()
    assert (application.amount, application.status) == (Decimal("1500"), "draft")
    assert list(GrantBudgetLine.objects.values_list("description", flat=True)) == [
        "Kouluttaja",
        "Tilavuokra",
    ]


def test_the_national_group_decides_and_the_group_reports(
    client, secretary_x, secretary_y, national_member, pirkanmaa, on_commit
):
    application = GrantApplication.objects.create(group=pirkanmaa, year=YEAR, purpose="Virkistys",
                                                  amount=600)  # fmt: skip
    GrantBudgetLine.objects.create(application=application, description="Tila", amount=600)
    client.force_login(secretary_x)
    with on_commit():
        client.post(reverse("alueet:grant_submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "submitted"
    assert OutboundEmail.objects.filter(to=national_member.email).exists()
    # the secretary cannot decide, nor can another group's
    assert client.post(reverse("alueet:grant_decide", args=[application.pk]),
                       {"granted_amount": "600"}).status_code == 404  # fmt: skip
    client.force_login(national_member)
    decide = reverse("alueet:grant_decide", args=[application.pk])
    response = client.post(decide, {"granted_amount": "700"})
    assert "cannot exceed the amount applied for" in response.content.decode()
    with on_commit():
        client.post(decide, {"granted_amount": "500", "conditions": "Raportti joulukuussa"})
    application.refresh_from_db()
    assert (application.status, application.granted_amount, application.decided_by) == (
        "granted",
        Decimal("500"),
        national_member,
    )
    assert OutboundEmail.objects.filter(to=secretary_x.email, subject__contains=str(YEAR)).exists()
    assert not OutboundEmail.objects.filter(to=secretary_y.email).exists()
    client.force_login(secretary_x)
    client.post(reverse("alueet:grant_report", args=[application.pk]),
                {"report": "Virkistyspäivä pidettiin.", "spent_amount": "480"})  # fmt: skip
    application.refresh_from_db()
    assert (application.status, application.spent_amount) == ("reported", Decimal("480"))


def test_grant_list_shows_every_group_to_the_national_group(
    client, national_member, pirkanmaa, django_assert_max_num_queries
):
    for area in ("Pirkanmaa", "Uusimaa", "Lappi"):
        GrantApplication.objects.create(group=group(area), year=YEAR, purpose="x", amount=300,
                                        status="submitted")  # fmt: skip
    client.force_login(national_member)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("alueet:grant_list"))
    page = response.content.decode()
    assert "3 applications wait for a decision." in page
    assert Role.objects.filter(user=national_member).count() == 1


def grant_data(**overrides):
    data = {"year": YEAR, "purpose": "Virkistyspäivä", "amount": "500",
            "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0",
            "lines-0-description": "Tilavuokra", "lines-0-amount": "500"}  # fmt: skip
    return data | overrides


def test_grant_year_is_this_or_next_year(client, secretary_x, pirkanmaa):
    client.force_login(secretary_x)
    url = reverse("alueet:grant_create", args=[pirkanmaa.pk])
    for year in (1990, 3000, YEAR - 1, YEAR + 2):
        response = client.post(url, grant_data(year=year))
        message = f"Apply for this year or next year ({YEAR} or {YEAR + 1})."
        assert response.context["form"].errors["year"] == [message]
        assert message in response.content.decode()
    assert not GrantApplication.objects.exists()
    client.post(url, grant_data(year=YEAR + 1))
    assert list(GrantApplication.objects.values_list("year", "status")) == [(YEAR + 1, "draft")]


def test_a_group_has_one_waiting_or_granted_application_a_year(
    client, secretary_x, pirkanmaa, uusimaa
):
    first = GrantApplication.objects.create(group=pirkanmaa, year=YEAR, purpose="Virkistys",
                                            amount=500, status="submitted")  # fmt: skip
    GrantApplication.objects.create(group=uusimaa, year=YEAR + 1, purpose="Muualla", amount=500,
                                    status="granted")  # fmt: skip
    client.force_login(secretary_x)
    url = reverse("alueet:grant_create", args=[pirkanmaa.pk])
    message = (
        f"The group already has an application for {YEAR} that is waiting for a decision or has "
        "been granted."
    )
    for status in ("submitted", "granted", "reported"):
        GrantApplication.objects.filter(pk=first.pk).update(status=status)
        response = client.post(url, grant_data())
        assert response.context["form"].errors["year"] == [message]
        assert message in response.content.decode()
        assert GrantApplication.objects.filter(group=pirkanmaa).count() == 1
    # another year, or another group's application of the year, is no obstacle
    client.post(url, grant_data(year=YEAR + 1))
    assert GrantApplication.objects.filter(group=pirkanmaa, year=YEAR + 1).count() == 1
    # after a refusal the group may apply again, but not submit while another one waits
    GrantApplication.objects.filter(pk=first.pk).update(status="declined")
    client.post(url, grant_data())
    second = GrantApplication.objects.get(group=pirkanmaa, year=YEAR, status="draft")
    third = GrantApplication.objects.create(group=pirkanmaa, year=YEAR, purpose="Koulutus",
                                            amount=300, status="submitted")  # fmt: skip
    response = client.post(reverse("alueet:grant_submit", args=[second.pk]), follow=True)
    assert message in response.content.decode()
    second.refresh_from_db()
    assert (second.status, second.submitted_at) == ("draft", None)
    assert third.status == "submitted"


def test_actual_cost_and_participants_only_of_done_items_and_only_they_count(
    client, secretary_x, pirkanmaa
):
    plan = ActionPlan.objects.create(group=pirkanmaa, year=YEAR)
    client.force_login(secretary_x)
    url = reverse("alueet:plan_item_create", args=[plan.pk])
    item = {"kind": "event", "title": "Virkistyspäivä", "budget": "300"}
    message = "Fill this in only when the item is done."
    for status in ("planned", "not_done"):
        response = client.post(
            url, item | {"status": status, "actual_cost": "280", "participants": "32"}
        )
        errors = response.context["form"].errors
        assert (errors["actual_cost"], errors["participants"]) == ([message], [message])
        assert message in response.content.decode()
    assert not PlanItem.objects.exists()
    client.post(url, item | {"status": "done", "actual_cost": "280", "participants": "32"})
    client.post(url, item | {"title": "Vertaistapaaminen", "status": "planned"})
    # a row written before the rule (or through the shell) is not counted as spent either
    PlanItem.objects.create(plan=plan, kind="event", title="Seminaari", status="planned",
                            budget=200, actual_cost=150, participants=10)  # fmt: skip
    (row,) = PlanItem.objects.yearly_counts()
    assert (
        row["planned"],
        row["done"],
        row["budget"],
        row["actual_cost"],
        row["participants"],
    ) == (
        3,
        1,
        Decimal("800.00"),
        Decimal("280.00"),
        32,
    )
    page = client.get(reverse("alueet:plan_detail", args=[pirkanmaa.pk, YEAR])).content.decode()
    assert "Budget 800.00 €, actual costs 280.00 €." in page
