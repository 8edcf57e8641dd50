"""Applying through one's organisation: the form of each course type, confirming the address,
the organisation's interview and decision (others get 404 and change nothing), withdrawal.
Emails at each step. The coordinator's places and the waiting list: test_places.py."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from kotove.models import AuditEvent, Municipality, OutboundEmail
from koulutus import services
from koulutus.models import Application, CourseType, InitialInterview
from pankki.models import Expert
from tests.pankki.factories import ExpertFactory

from .factories import (
    ApplicationFactory,
    CourseFactory,
    course_type,
    days_from_today,
    participant,
)

pytestmark = pytest.mark.django_db
Status = Application.Status


def emails_to(address):
    return list(OutboundEmail.objects.filter(to=address).order_by("created_at", "pk"))


def application_post(org, **overrides):
    data = {
        "first_name": "Maija",
        "last_name": "Mäkelä",
        "email": "Maija.Makela@Example.fi",
        "phone": "040 123 4567",
        "home_municipality": str(Municipality.objects.get(name_fi="Tampere").pk),
        "language": "sv",
        "organisation": str(org.pk),
        "experience_kind": "own",
        "experience": "Sairastuin MS-tautiin 30-vuotiaana.",
        "previous_activity": "",
        "motivation": "Haluan auttaa opiskelijoita ymmärtämään.",
        "accessibility_needs": "Pyörätuoli",
        "privacy": "on",
    }
    data.update(overrides)
    return data


def test_anonymous_applicant_confirms_the_address_before_the_organisation_sees_it(
    client, org_a, contact_a, contact_b
):
    course = CourseFactory(name="Peruskoulutus Tampere")
    response = client.post(reverse("koulutus:apply", args=[course.pk]), application_post(org_a))
    application = Application.objects.get()
    assert response["Location"] == reverse("koulutus:course", args=[course.pk])
    assert (application.status, application.email) == (Status.UNVERIFIED, "maija.makela@example.fi")
    # the contact does not see it yet, and was not emailed
    client.force_login(contact_a)
    assert client.get(reverse("koulutus:applications")).context["page"].paginator.count == 0
    assert emails_to(contact_a.email) == []
    client.logout()

    [verify] = emails_to("maija.makela@example.fi")
    assert verify.language == "sv"
    status_url = reverse("koulutus:application_status", args=[application.token])
    assert status_url in verify.body
    # opening the link changes nothing (a mail scanner may open it); the button does
    assert client.get(status_url).status_code == 200
    application.refresh_from_db()
    assert application.status == Status.UNVERIFIED
    client.post(status_url, {"action": "verify"})
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.verified_at is not None
    [new] = emails_to(contact_a.email)
    assert reverse("koulutus:application", args=[application.pk]) in new.body
    assert "Maija Mäkelä" in new.body
    assert emails_to(contact_b.email) == []
    assert [e.subject for e in emails_to(application.email)][-1].startswith("Vi har tagit emot")


def test_signed_in_expert_applies_to_continuing_training_prefilled(client, expert_user, org_a):
    expert = ExpertFactory(
        user=expert_user, email=expert_user.email, responsible_organisation=org_a
    )
    course = CourseFactory(course_type=course_type(CourseType.Kind.CONTINUING))
    client.force_login(expert_user)
    form = client.get(reverse("koulutus:apply", args=[course.pk])).context["form"]
    assert form.initial["basic_training_year"] == expert.basic_training_date.year
    assert form.fields["email"].disabled
    assert "experience" not in form.fields  # the continuing form asks other things
    data = application_post(
        org_a,
        email="other@example.fi",
        basic_training_year="2024",
        basic_training_organiser="Aivoliitto",
    )
    client.post(reverse("koulutus:apply", args=[course.pk]), data)
    application = Application.objects.get()
    # the account's own, verified address is used: no confirmation needed
    assert (application.email, application.status) == (expert_user.email, Status.SUBMITTED)
    assert application.expert == expert


def test_form_errors_are_clear_and_nothing_is_saved(client, org_a):
    course = CourseFactory()
    data = application_post(org_a, phone="12", motivation="", privacy="", email="not an address")
    response = client.post(reverse("koulutus:apply", args=[course.pk]), data)
    errors = response.context["form"].errors
    assert set(errors) == {"phone", "motivation", "privacy", "email"}
    assert 'href="#id_motivation"' in response.content.decode()
    assert Application.objects.count() == 0


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_second_application_is_answered_like_a_new_one_and_the_address_is_emailed(
    client, org_a, contact_a
):
    """Who has applied to the training is health data: the page tells nobody, the address
    itself is told."""
    course = CourseFactory(name="Peruskoulutus Tampere")
    first = ApplicationFactory(
        course=course, email="maija.makela@example.fi", first_name="Maija", language="sv"
    )
    url = reverse("koulutus:apply", args=[course.pk])
    new = client.post(url, application_post(org_a, email="uusi@example.fi"), follow=True)
    Application.objects.filter(email="uusi@example.fi").delete()
    OutboundEmail.objects.all().delete()
    events = AuditEvent.objects.count()

    again = client.post(url, application_post(org_a, first_name="Eve"), follow=True)
    assert again.redirect_chain == new.redirect_chain
    assert shown_messages(again) == [
        text.replace("uusi@example.fi", "maija.makela@example.fi") for text in shown_messages(new)
    ]
    assert "already applied" not in again.content.decode()
    # nothing new is stored, and the first application is as it was
    assert list(Application.objects.values_list("pk", "first_name", "status")) == [
        (first.pk, "Maija", Status.SUBMITTED)
    ]
    assert AuditEvent.objects.count() == events
    assert emails_to(contact_a.email) == []
    [told] = emails_to("maija.makela@example.fi")
    assert told.language == "sv"
    assert told.subject == "Du har redan ansökt: Peruskoulutus Tampere"
    assert reverse("koulutus:application_status", args=[first.token]) in told.body
    # a second try the same day emails nothing more
    client.post(url, application_post(org_a))
    assert len(emails_to("maija.makela@example.fi")) == 1


def test_after_withdrawing_one_may_apply_again(client, org_a):
    course = CourseFactory()
    ApplicationFactory(course=course, email="maija.makela@example.fi", status=Status.WITHDRAWN)
    client.post(reverse("koulutus:apply", args=[course.pk]), application_post(org_a))
    assert Application.objects.filter(status=Status.UNVERIFIED).count() == 1
    [verify] = emails_to("maija.makela@example.fi")
    assert verify.subject.startswith("Bekräfta din ansökan")


def test_signed_in_applicant_is_told_of_their_own_application(client, expert_user, org_a):
    """Their account's own address: telling them gives nobody else's data away."""
    course = CourseFactory()
    ApplicationFactory(course=course, email=expert_user.email, user=expert_user)
    client.force_login(expert_user)
    response = client.post(reverse("koulutus:apply", args=[course.pk]), application_post(org_a))
    assert "You have already applied to this course" in response.content.decode()
    assert Application.objects.count() == 1
    assert OutboundEmail.objects.count() == 0


def test_closed_course_takes_no_applications(client, org_a):
    course = CourseFactory(
        application_closes=days_from_today(-1), application_opens=days_from_today(-9)
    )
    response = client.post(reverse("koulutus:apply", args=[course.pk]), application_post(org_a))
    assert response["Location"] == reverse("koulutus:course", args=[course.pk])
    assert Application.objects.count() == 0


def test_contact_interviews_and_decides_with_a_note(client, contact_a):
    application = ApplicationFactory(language="sv")
    client.force_login(contact_a)
    url = reverse("koulutus:application", args=[application.pk])
    content = client.get(url).content.decode()
    assert application.experience in content
    assert AuditEvent.objects.filter(
        action="application.view", object_id=str(application.pk)
    ).exists()

    client.post(
        reverse("koulutus:application_interview", args=[application.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "method": "phone",
            "experience_processing": "Puhuu kokemuksestaan etäisyyttä ottaen.",
            "situation": "Eläkkeellä, aikaa on.",
            "expectations": "",
            "suitability": "suitable",
            "notes": "",
        },
    )
    interview = InitialInterview.objects.get()
    assert (interview.interviewer, interview.suitability) == (contact_a, "suitable")

    response = client.post(
        reverse("koulutus:application_decide", args=[application.pk]),
        {"status": "selected", "note": "Hyvä haastattelu."},
    )
    assert response["Location"] == url
    application.refresh_from_db()
    assert (application.status, application.decided_by, application.decision_note) == (
        Status.SELECTED,
        contact_a,
        "Hyvä haastattelu.",
    )
    [email] = emails_to(application.email)
    assert email.language == "sv" and "Din organisation valde dig" in email.body
    assert "Hyvä haastattelu." not in email.body  # the note stays in the organisation


def test_interview_in_the_future_is_refused(client, contact_a):
    application = ApplicationFactory()
    client.force_login(contact_a)
    response = client.post(
        reverse("koulutus:application_interview", args=[application.pk]),
        {"held_on": days_from_today(3).isoformat(), "method": "phone", "suitability": "later"},
    )
    assert "The date cannot be in the future." in response.content.decode()
    assert InitialInterview.objects.count() == 0


def test_interview_before_the_application_was_sent_is_refused_on_the_field(client, contact_a):
    application = ApplicationFactory()
    sent = timezone.now() - datetime.timedelta(days=5)
    Application.objects.filter(pk=application.pk).update(created_at=sent)
    client.force_login(contact_a)
    url = reverse("koulutus:application_interview", args=[application.pk])
    data = {"method": "phone", "suitability": "later"}
    client.post(url, {**data, "held_on": days_from_today(-5).isoformat()})
    error = (
        "The interview cannot be before the application was sent "
        f"({date_format(timezone.localdate(sent), 'SHORT_DATE_FORMAT')})."
    )
    for held_on in ("1900-01-01", days_from_today(-6).isoformat()):
        response = client.post(url, {**data, "held_on": held_on, "suitability": "suitable"})
        assert response.context["interview_form"].errors["held_on"] == [error]
        assert error in response.content.decode()
    # the interview recorded first is as it was
    interview = InitialInterview.objects.get()
    assert (interview.held_on, interview.suitability) == (days_from_today(-5), "later")
    assert AuditEvent.objects.filter(action__startswith="application.interview").count() == 1
    with translation.override("fi"), pytest.raises(ValidationError) as refused:
        services.record_interview(
            application=application,
            by=contact_a,
            held_on=datetime.date(1900, 1, 1),
            method="phone",
            suitability="later",
        )
    assert refused.value.message_dict["held_on"][0].startswith(
        "Haastattelu ei voi olla ennen hakemuksen lähettämistä"
    )


def test_another_organisation_cannot_see_or_decide(client, contact_b):
    application = ApplicationFactory()  # of organisation A
    client.force_login(contact_b)
    for name in ("application", "application_decide", "application_interview"):
        url = reverse(f"koulutus:{name}", args=[application.pk])
        assert (
            client.post(url, {"status": "not_selected", "held_on": "2026-01-01"}).status_code == 404
        )
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert InitialInterview.objects.count() == 0
    with pytest.raises(ValidationError, match="own organisation"):
        services.decide_application(
            application=application, status=Status.NOT_SELECTED, by=contact_b
        )
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert OutboundEmail.objects.count() == 0


def test_decision_cannot_change_once_a_place_is_confirmed(contact_a):
    application = participant(CourseFactory())
    with pytest.raises(ValidationError, match="no longer decides"):
        services.decide_application(
            application=application, status=Status.NOT_SELECTED, by=contact_a
        )


def test_supplementary_training_takes_trained_experts_of_its_area_in_order(client, area_x, org_a):
    course = CourseFactory(
        course_type=course_type(CourseType.Kind.SUPPLEMENTARY), area=area_x, capacity=1
    )
    ExpertFactory(email="eka@example.fi")  # Tampere, Pirkanmaa: trained
    ExpertFactory(email="toka@example.fi")
    ExpertFactory(
        email="helsinki@example.fi", home_municipality=Municipality.objects.get(name_fi="Helsinki")
    )
    outcomes = []
    for email in (
        "eka@example.fi",
        "toka@example.fi",
        "helsinki@example.fi",
        "outsider@example.fi",
    ):
        data = {
            "first_name": "Testi",
            "last_name": "Henkilö",
            "email": email,
            "home_municipality": str(Municipality.objects.get(name_fi="Tampere").pk),
            "language": "fi",
            "organisation": str(org_a.pk),
            "privacy": "on",
        }
        client.post(reverse("koulutus:apply", args=[course.pk]), data)
        application = Application.objects.get(email=email)
        services.verify_application(application=application)
        application.refresh_from_db()
        outcomes.append(application.status)
    assert outcomes == [
        Status.CONFIRMED,
        Status.WAITING_LIST,
        Status.NOT_SELECTED,
        Status.NOT_SELECTED,
    ]
    assert Application.objects.get(email="eka@example.fi").expert == Expert.objects.get(
        email="eka@example.fi"
    )


@pytest.mark.parametrize(
    "kind, says, does_not_say",
    [
        (
            CourseType.Kind.SUPPLEMENTARY,
            "Places are filled in the order of registration.",
            "selects the participants",
        ),
        (
            CourseType.Kind.BASIC,
            "contact person selects the participants.",
            "order of registration",
        ),
    ],
)
def test_course_page_and_form_say_who_gives_the_places(client, area_x, kind, says, does_not_say):
    course = CourseFactory(course_type=course_type(kind), area=area_x)
    detail = client.get(reverse("koulutus:course", args=[course.pk])).content.decode()
    assert says in detail
    assert does_not_say not in detail
    response = client.get(reverse("koulutus:apply", args=[course.pk]))
    form = response.context["form"]
    selected_by_contact = kind == CourseType.Kind.BASIC
    assert ("selects the participants" in form.fields["organisation"].help_text) is (
        selected_by_contact
    )
    assert ("if I am selected" in form.fields["privacy"].label) is selected_by_contact
    assert ("selects the participants" in response.content.decode()) is selected_by_contact


def test_applicant_refused_by_the_area_rule_is_not_sent_to_their_organisation(
    client, area_x, org_a
):
    course = CourseFactory(course_type=course_type(CourseType.Kind.SUPPLEMENTARY), area=area_x)
    refused = ApplicationFactory(course=course, status=Status.UNVERIFIED, email="x@example.fi")
    services.verify_application(application=refused)
    refused.refresh_from_db()
    assert (refused.status, refused.decided_by) == (Status.NOT_SELECTED, None)
    content = client.get(
        reverse("koulutus:application_status", args=[refused.token])
    ).content.decode()
    assert (
        "This training is open to the trained experience experts of Pirkanmaa. We did not find "
        "one with your email address in the experience bank"
    ) in content
    assert "You were not selected" not in content
    # a contact's decision is the contact's to explain
    decided = ApplicationFactory(course=CourseFactory(), status=Status.NOT_SELECTED)
    content = client.get(
        reverse("koulutus:application_status", args=[decided.token])
    ).content.decode()
    assert "You were not selected for this course." in content
    assert "trained experience experts of" not in content


def test_unverified_applications_are_deleted_after_a_week():
    old = ApplicationFactory(status=Status.UNVERIFIED)
    Application.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    fresh = ApplicationFactory(status=Status.UNVERIFIED)
    assert services.purge_unverified() == 1
    assert list(Application.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_contact_list_shows_only_own_organisation(
    client, contact_a, org_b, django_assert_max_num_queries
):
    course = CourseFactory()
    own = [ApplicationFactory(course=course) for _ in range(5)]
    ApplicationFactory(course=course, organisation=org_b)
    ApplicationFactory(course=course, status=Status.UNVERIFIED)
    client.force_login(contact_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("koulutus:applications"))
    assert set(response.context["page"].object_list) == set(own)
    response = client.get(reverse("koulutus:applications") + f"?status=selected&course={course.pk}")
    assert list(response.context["page"].object_list) == []


def test_public_applications_are_rate_limited_per_address(client, org_a, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "training_application": "2/h/ip",
    }
    course = CourseFactory()
    url = reverse("koulutus:apply", args=[course.pk])
    for n in range(2):
        client.post(url, application_post(org_a, email=f"a{n}@example.fi"))
    response = client.post(url, application_post(org_a, email="third@example.fi"))
    assert response.status_code == 429
    assert "Too many applications" in response.content.decode()
    assert Application.objects.count() == 2
