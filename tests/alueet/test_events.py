"""Regional events with places and a waiting list; the mailing to the area's experts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alueet.models import ExpertMailing, MailingOptOut, RegionalEvent, Registration
from kotove.models import AuditEvent, OutboundEmail, Role
from tests.conftest import make_actor
from tests.pankki.factories import ExpertFactory, municipality

from .factories import EventFactory


def expert_client(client_class, first_name, **fields):
    user = make_actor(Role.Kind.EXPERT)
    expert = ExpertFactory(user=user, first_name=first_name, **fields)
    client = client_class()
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client, expert


def test_places_fill_then_the_waiting_list_and_a_freed_place_goes_to_the_first(
    client, pirkanmaa, on_commit
):
    event = EventFactory(group=pirkanmaa, capacity=1)
    url = reverse("alueet:event_register", args=[event.pk])
    aino, aino_expert = expert_client(client.__class__, "Aino")
    bertta, bertta_expert = expert_client(client.__class__, "Bertta")
    cecilia, _ = expert_client(client.__class__, "Cecilia")
    with on_commit():
        assert (
            "You have a place"
            in aino.post(url, {"needs": "Pyörätuoli"}, follow=True).content.decode()
        )
        assert "on the waiting list" in bertta.post(url, follow=True).content.decode()
        cecilia.post(url)
    statuses = dict(Registration.objects.values_list("expert__first_name", "status"))
    assert statuses == {"Aino": "confirmed", "Bertta": "waiting", "Cecilia": "waiting"}
    # registering twice is refused
    assert "registered for this event already" in aino.post(url, follow=True).content.decode()
    assert Registration.objects.count() == 3
    with on_commit():
        aino.post(reverse("alueet:event_unregister", args=[event.pk]))
    statuses = dict(
        Registration.objects.exclude(status="cancelled").values_list("expert__first_name", "status")
    )
    assert statuses == {"Bertta": "confirmed", "Cecilia": "waiting"}
    freed = OutboundEmail.objects.filter(to=bertta_expert.email).order_by("-pk").first()
    assert event.title in freed.subject


def test_only_the_areas_experts_register(client, pirkanmaa):
    event = EventFactory(group=pirkanmaa)
    helsinki, _ = expert_client(
        client.__class__, "Hanna", home_municipality=municipality("Helsinki")
    )
    assert helsinki.get(reverse("alueet:event_detail", args=[event.pk])).status_code == 404
    assert helsinki.post(reverse("alueet:event_register", args=[event.pk])).status_code == 404
    assert not Registration.objects.exists()


def test_organiser_sees_the_participants_and_the_view_is_audited(
    client, secretary_x, pirkanmaa, django_assert_max_num_queries
):
    event = EventFactory(group=pirkanmaa, capacity=2)
    for n in range(5):
        Registration.objects.create(event=event, expert=ExpertFactory(last_name=f"Osallistuja{n}"),
                                    status="confirmed" if n < 2 else "waiting",
                                    needs="Tulkki" if n == 0 else "")  # fmt: skip
    client.force_login(secretary_x)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("alueet:event_participants", args=[event.pk]))
    page = response.content.decode()
    assert "2 with a place" in page and "3 on the waiting list" in page and "Tulkki" in page
    assert (
        AuditEvent.objects.filter(action="event.participants_view", actor=secretary_x).count() == 1
    )


def test_event_list_for_an_expert(client, pirkanmaa, django_assert_max_num_queries):
    for n in range(5):
        EventFactory(group=pirkanmaa, title=f"Tapahtuma {n}", capacity=10)
    EventFactory(group=pirkanmaa.__class__.objects.get(area__name_fi="Uusimaa"), title="Muualla")
    reader, _ = expert_client(client.__class__, "Aino")
    with django_assert_max_num_queries(10):
        page = reader.get(reverse("alueet:event_list")).content.decode()
    assert page.count("Tapahtuma ") == 5 and "Muualla" not in page


@pytest.fixture
def experts(pirkanmaa):
    return {
        "consenting": ExpertFactory(consent=True, email="kylla@example.fi"),
        "no_consent": ExpertFactory(consent=False, email="ei@example.fi"),
        "elsewhere": ExpertFactory(
            consent=True, email="hki@example.fi", home_municipality=municipality("Helsinki")
        ),  # fmt: skip
        "swedish": ExpertFactory(consent=True, email="sv@example.fi", languages=["sv"]),
    }


def test_secretary_emails_consenting_experts_who_can_unsubscribe_without_login(
    client, secretary_x, pirkanmaa, experts, on_commit
):
    client.force_login(secretary_x)
    url = reverse("alueet:mailing_create", args=[pirkanmaa.pk])
    assert "goes to 2 experts" in client.get(url).content.decode()
    with on_commit():
        client.post(url, {"subject": "Virkistyspäivä 12.5.", "body": "Tervetuloa!"})
    emails = {e.to: e for e in OutboundEmail.objects.all()}
    assert set(emails) == {"kylla@example.fi", "sv@example.fi"}
    assert emails["sv@example.fi"].language == "sv"
    assert ExpertMailing.objects.get().recipients == 2
    link = next(
        line for line in emails["kylla@example.fi"].body.splitlines() if "peru-tilaus" in line
    )
    anonymous = client.__class__(HTTP_ACCEPT_LANGUAGE="en")
    path = link.split("testserver", 1)[-1].replace("http://127.0.0.1:8000", "")
    path = path[path.index("/alueet/") :]
    assert "Unsubscribe" in anonymous.get(path).content.decode()
    assert not MailingOptOut.objects.exists()  # a GET (a link checker) changes nothing
    done = anonymous.post(path, follow=True)
    assert done.redirect_chain == [(path, 302)]
    assert "no longer get the messages" in done.content.decode()
    assert MailingOptOut.objects.get().expert == experts["consenting"]
    assert "no longer get the messages" in anonymous.get(path).content.decode()
    OutboundEmail.objects.all().delete()
    with on_commit():
        client.post(url, {"subject": "Toinen", "body": "Viesti"})
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["sv@example.fi"]
    assert anonymous.get(path[:-5] + "xxxxx/").status_code == 404


def event_data(**overrides):
    day = timezone.localdate() + datetime.timedelta(days=30)
    data = {"kind": "recreation", "title": "Virkistyspäivä", "description": "Ulkoilua.",
            "date": day.isoformat(), "starts": "10:00", "ends": "14:00",
            "place": "Kaupin urheilupuisto", "capacity": "20"}  # fmt: skip
    return {k: v for k, v in (data | overrides).items() if v is not None}


def test_an_event_has_at_least_one_place_and_the_constraint_text_never_shows(
    client, secretary_x, pirkanmaa
):
    client.force_login(secretary_x)
    url = reverse("alueet:event_create", args=[pirkanmaa.pk])
    message = "An event has at least one place. Leave the field empty if there is no limit."
    for capacity in ("0", "-3"):
        response = client.post(url, event_data(capacity=capacity))
        assert response.context["form"].errors == {"capacity": [message]}
        page = response.content.decode()
        assert "event_capacity_positive" not in page
        assert message in page
    assert not RegionalEvent.objects.exists()
    # the constraint itself speaks the same words
    event = EventFactory.build(group=pirkanmaa, capacity=0)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.messages == [message]
    client.post(url, event_data(capacity=""))
    assert list(RegionalEvent.objects.values_list("capacity", flat=True)) == [None]


def test_an_event_in_the_past_or_with_registration_closed_is_not_published(
    client, secretary_x, pirkanmaa
):
    client.force_login(secretary_x)
    url = reverse("alueet:event_create", args=[pirkanmaa.pk])
    today = timezone.localdate()
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    response = client.post(url, event_data(date=yesterday))
    assert response.context["form"].errors == {"date": ["The event cannot start in the past."]}
    assert "The event cannot start in the past." in response.content.decode()
    an_hour_ago = timezone.localtime() - datetime.timedelta(hours=1)
    if an_hour_ago.date() == today:  # not just after midnight
        response = client.post(url, event_data(date=today.isoformat(),
                                               starts=an_hour_ago.strftime("%H:%M"),
                                               ends="23:59"))  # fmt: skip
        assert response.context["form"].errors == {
            "starts": ["The event cannot start in the past."]
        }
    response = client.post(url, event_data(closes=yesterday))
    assert response.context["form"].errors == {"closes": ["Registration cannot close in the past."]}
    assert "Registration cannot close in the past." in response.content.decode()
    assert not RegionalEvent.objects.exists()
    response = client.post(url, event_data(closes=today.isoformat()), follow=True)
    assert "The event was published to the area&#x27;s experts." in response.content.decode()
    assert RegionalEvent.objects.count() == 1


def test_a_held_event_can_be_corrected_but_not_moved_to_the_past(client, secretary_x, pirkanmaa):
    held = timezone.localtime() - datetime.timedelta(days=3)
    event = EventFactory(
        group=pirkanmaa,
        starts_at=held.replace(hour=10, minute=0, second=0, microsecond=0),
        ends_at=held.replace(hour=14, minute=0, second=0, microsecond=0),
    )
    client.force_login(secretary_x)
    url = reverse("alueet:event_edit", args=[event.pk])
    data = event_data(date=held.date().isoformat(), title="Virkistyspäivä (pidetty)")
    client.post(url, data)
    event.refresh_from_db()
    assert event.title == "Virkistyspäivä (pidetty)"
    earlier = (held.date() - datetime.timedelta(days=1)).isoformat()
    response = client.post(url, data | {"date": earlier, "title": "Siirretty"})
    assert response.context["form"].errors == {"date": ["The event cannot start in the past."]}
    event.refresh_from_db()
    assert (event.title, timezone.localtime(event.starts_at).date()) == (
        "Virkistyspäivä (pidetty)",
        held.date(),
    )


def test_organiser_confirms_cancelling_a_registration_and_the_participant_is_emailed(
    client, secretary_x, secretary_y, pirkanmaa, on_commit
):
    event = EventFactory(group=pirkanmaa, capacity=1, title="Kevätretki")
    swedish = ExpertFactory(first_name="Saga", last_name="Sund", languages=["sv"],
                            email="saga@example.fi")  # fmt: skip
    registration = Registration.objects.create(event=event, expert=swedish, status="confirmed")
    waiting = Registration.objects.create(
        event=event, expert=ExpertFactory(email="odottaa@example.fi"), status="waiting"
    )
    url = reverse("alueet:registration_cancel", args=[registration.pk])
    # another group's secretary neither sees nor cancels it
    client.force_login(secretary_y)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    client.force_login(secretary_x)
    page = client.get(reverse("alueet:event_participants", args=[event.pk])).content.decode()
    assert f'<a href="{url}">Cancel the registration of Saga Sund</a>' in page
    assert f'action="{url}"' not in page  # no form that cancels at the first click
    page = client.get(url).content.decode()
    assert "<h1>Cancel the registration of Saga Sund</h1>" in page
    assert "Saga Sund gets an email telling that the registration was cancelled." in page
    assert "The place goes to the first on the waiting list" in page
    assert '<form method="post">' in page
    assert list(Registration.objects.values_list("status", flat=True)) == ["confirmed", "waiting"]
    assert not OutboundEmail.objects.exists()
    with on_commit():
        response = client.post(url, follow=True)
    assert "The registration of Saga Sund was cancelled." in response.content.decode()
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert (registration.status, waiting.status) == ("cancelled", "confirmed")
    email = OutboundEmail.objects.get(to="saga@example.fi")
    assert email.language == "sv"
    assert "Kevätretki" in email.subject and "Kevätretki" in email.body
    assert OutboundEmail.objects.filter(to="odottaa@example.fi").count() == 1  # the freed place
    # once cancelled, the page says so and nothing more is sent
    response = client.post(url, follow=True)
    assert "The registration has been cancelled already." in response.content.decode()
    assert OutboundEmail.objects.filter(to="saga@example.fi").count() == 1


def test_an_expert_cancelling_their_own_registration_gets_no_cancellation_email(
    client, pirkanmaa, on_commit
):
    event = EventFactory(group=pirkanmaa)
    aino, aino_expert = expert_client(client.__class__, "Aino")
    with on_commit():
        aino.post(reverse("alueet:event_register", args=[event.pk]))
        aino.post(reverse("alueet:event_unregister", args=[event.pk]))
    assert Registration.objects.get().status == "cancelled"
    assert OutboundEmail.objects.filter(to=aino_expert.email).count() == 1  # the registration
