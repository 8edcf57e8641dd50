"""Who gets what from every alueet URL (GET), and that refused writes (POST) change nothing.

Anonymous users are sent to the login (302) from everything but the public pages and links.
The objects belong to Pirkanmaa, secretary_x's area: Uusimaa's secretary (secretary_y) gets 404
for them. The national steering group reads every group's pages but writes none (it decides
grants). POST-only URLs answer 405 to a GET from anyone signed in; who may POST is checked by
the refusal test below and in the feature tests.
"""

import pytest
from django.apps import apps
from django.urls import reverse

from kotove.models import AuditEvent, OutboundEmail, Role
from tests.conftest import ACTORS

SIGNED_IN_404 = dict.fromkeys(ACTORS, 404) | {"anonymous": 302}


def allow(*actors, status=200):
    return SIGNED_IN_404 | dict.fromkeys(actors, status)


PUBLIC = dict.fromkeys(ACTORS, 200)
READ_X = allow("planner", "national_member", "secretary_x")
MANAGE_X = allow("planner", "secretary_x")
POST_ONLY = dict.fromkeys(ACTORS, 405) | {"anonymous": 302}
FOLLOWERS = allow("planner", "national_member", "secretary_x", "secretary_y")

MATRIX = {
    "group_list": PUBLIC,
    "group_detail": PUBLIC,
    "group_edit": MANAGE_X,
    "term_create": MANAGE_X,
    "term_edit": MANAGE_X,
    "membership_create": MANAGE_X,
    "membership_edit": MANAGE_X,
    "membership_end": POST_ONLY,
    "working_group_create": MANAGE_X,
    "working_group_detail": READ_X,
    "working_group_edit": MANAGE_X,
    "working_group_member_add": POST_ONLY,
    "working_group_member_remove": POST_ONLY,
    "meeting_year": READ_X,
    "meeting_create": MANAGE_X,
    "meeting_detail": READ_X,
    "meeting_edit": MANAGE_X,
    "meeting_invite": POST_ONLY,
    "meeting_cancel": MANAGE_X,
    "attachment_add": POST_ONLY,
    "attachment_download": READ_X,
    "attachment_delete": POST_ONLY,
    "minutes_edit": MANAGE_X,
    "minutes_publish": POST_ONLY,
    "rsvp": PUBLIC,
    "organising_create": MANAGE_X,
    "organising_detail": READ_X,
    "organising_edit": MANAGE_X,
    "organising_announce": POST_ONLY,
    "nominate": allow("planner", "contact_a", "contact_b"),
    "nomination_remove": POST_ONLY,
    "organising_close": POST_ONLY,
    "organising_seats": POST_ONLY,
    "organising_freeze": POST_ONLY,
    "draw_create": MANAGE_X,
    "draw_cancel": POST_ONLY,
    "organising_complete": POST_ONLY,
    "nominate_by_link": PUBLIC,
    "candidates": PUBLIC,
    "draw_verify": PUBLIC,
    "plan_detail": READ_X,
    "plan_edit": MANAGE_X,
    "plan_item_create": MANAGE_X,
    "plan_item_edit": MANAGE_X,
    "plan_item_delete": POST_ONLY,
    "grant_list": FOLLOWERS,
    "grant_create": MANAGE_X,
    "grant_detail": READ_X,
    "grant_edit": MANAGE_X,
    "grant_submit": POST_ONLY,
    "grant_decide": POST_ONLY,
    "grant_report": POST_ONLY,
    "event_list": FOLLOWERS | {"expert_user": 200},
    "event_create": MANAGE_X,
    "event_detail": READ_X | {"expert_user": 200},
    "event_edit": MANAGE_X,
    "event_cancel": POST_ONLY,
    "event_register": POST_ONLY,
    "event_unregister": POST_ONLY,
    "event_participants": MANAGE_X,
    "registration_cancel": MANAGE_X,
    "mailing_create": MANAGE_X,
    "unsubscribe": PUBLIC,
}


def url_args(w) -> dict:
    """The URL arguments of each name in the world of tests/alueet/conftest.py."""
    g = [w.pirkanmaa.pk]
    return {
        "group_detail": g,
        "group_edit": g,
        "term_create": g,
        "term_edit": [w.term.pk],
        "membership_create": [w.term.pk],
        "membership_edit": [w.member.pk],
        "membership_end": [w.member.pk],
        "working_group_create": g,
        "working_group_detail": [w.working_group.pk],
        "working_group_edit": [w.working_group.pk],
        "working_group_member_add": [w.working_group.pk],
        "working_group_member_remove": [w.wg_member.pk],
        "meeting_year": g,
        "meeting_create": g,
        "meeting_detail": [w.meeting.pk],
        "meeting_edit": [w.meeting.pk],
        "meeting_invite": [w.meeting.pk],
        "meeting_cancel": [w.meeting.pk],
        "attachment_add": [w.meeting.pk],
        "attachment_download": [w.attachment.pk],
        "attachment_delete": [w.attachment.pk],
        "minutes_edit": [w.held.pk],
        "minutes_publish": [w.held.pk],
        "rsvp": [w.invitation.token],
        "organising_create": g,
        "organising_detail": [w.open_meeting.pk],
        "organising_edit": [w.open_meeting.pk],
        "organising_announce": [w.open_meeting.pk],
        "nominate": [w.open_meeting.pk],
        "nomination_remove": [w.nomination.pk],
        "organising_close": [w.open_meeting.pk],
        "organising_seats": [w.open_meeting.pk],
        "organising_freeze": [w.open_meeting.pk],
        "draw_create": [w.drawn_meeting.pk, "organisation"],
        "draw_cancel": [w.draw.pk],
        "organising_complete": [w.drawn_meeting.pk],
        "nominate_by_link": [w.invite.token],
        "candidates": [w.drawn_meeting.public_token],
        "draw_verify": [w.drawn_meeting.public_token, w.draw.pk],
        "plan_detail": [*g, w.plan.year],
        "plan_edit": [*g, w.plan.year],
        "plan_item_create": [w.plan.pk],
        "plan_item_edit": [w.item.pk],
        "plan_item_delete": [w.item.pk],
        "grant_create": g,
        "grant_detail": [w.grant.pk],
        "grant_edit": [w.grant.pk],
        "grant_submit": [w.grant.pk],
        "grant_decide": [w.grant.pk],
        "grant_report": [w.grant.pk],
        "event_create": g,
        "event_detail": [w.event.pk],
        "event_edit": [w.event.pk],
        "event_cancel": [w.event.pk],
        "event_register": [w.event.pk],
        "event_unregister": [w.event.pk],
        "event_participants": [w.event.pk],
        "registration_cancel": [w.registration.pk],
        "mailing_create": g,
        "unsubscribe": [w.unsubscribe],
    }


def test_matrix_covers_every_actor():
    assert all(set(row) == set(ACTORS) for row in MATRIX.values())


@pytest.mark.parametrize("actor", ACTORS)
def test_every_url_answers_the_actor(actor_client, world, actor):
    client = actor_client(actor)
    args = url_args(world)
    got, login_redirects = {}, True
    for name in MATRIX:
        response = client.get(reverse(f"alueet:{name}", args=args.get(name, [])))
        got[name] = response.status_code
        if response.status_code == 302:
            login_redirects &= response["Location"].startswith(reverse("account_login"))
    assert got == {name: row[actor] for name, row in MATRIX.items()}
    assert login_redirects


def snapshot():
    """Every row alueet, the roles, the audit log and the outbox hold."""
    counts = {m.__name__: m.objects.count() for m in apps.get_app_config("alueet").get_models()}
    rows = {
        m.__name__: sorted(map(str, m.objects.values_list()))
        for m in apps.get_app_config("alueet").get_models()
    }
    return (
        counts,
        rows,
        Role.objects.count(),
        AuditEvent.objects.count(),
        OutboundEmail.objects.count(),
    )


# Plausible data for each write, so that a refusal is about who, not about what.
POST_DATA = {
    "group_edit": {"email": "uusi@example.fi"},
    "term_create": {"starts_on": "2040-01-01"},
    "term_edit": {"starts_on": "2040-01-01", "ends_on": "2041-12-31"},
    "membership_create": {"seat": "organisation", "position": "member", "first_name": "A",
                          "last_name": "B", "email": "ab@example.fi", "language": "fi"},
    "membership_end": {"ended_on": "2030-01-01"},
    "working_group_create": {"name": "Uusi"},
    "working_group_member_add": {"name": "Uusi jäsen"},
    "meeting_create": {"title": "Kokous", "date": "2040-01-01", "starts": "10:00",
                       "ends": "12:00", "place": "Tampere"},
    "meeting_cancel": {"reason": "Ei päätösvaltaa"},
    "organising_announce": {"addresses": "a@example.fi"},
    "nominate": {"category": "organisation", "first_name": "A", "last_name": "B",
                 "email": "x@example.fi", "language": "fi", "consent": "on"},
    "organising_seats": {"organisation": "2", "expert": "2", "unit": "2", "stakeholder": "0"},
    "draw_create": {"date": "2030-01-01", "time": "10:00", "witness_1": "A", "dice_1": "1",
                    "witness_2": "B", "dice_2": "2"},
    "draw_cancel": {"reason": "Virhe"},
    "plan_item_create": {"kind": "event", "title": "Uusi", "status": "planned"},
    "grant_decide": {"granted_amount": "500"},
    "grant_report": {"report": "Käytettiin.", "spent_amount": "500"},
    "mailing_create": {"subject": "Hei", "body": "Viesti"},
}  # fmt: skip
PUBLIC_OR_READ_ONLY = {
    "group_list", "group_detail", "rsvp", "nominate_by_link", "candidates", "draw_verify",
    "unsubscribe", "attachment_download", "event_detail", "event_list", "grant_detail",
    "grant_list", "meeting_year", "meeting_detail", "organising_detail", "plan_detail",
    "working_group_detail",
}  # fmt: skip
WRITES = sorted(set(MATRIX) - PUBLIC_OR_READ_ONLY)


@pytest.mark.parametrize("actor", ["secretary_y", "national_member", "contact_a", "expert_user"])
def test_refused_writes_answer_404_and_change_nothing(actor_client, world, actor):
    client = actor_client(actor)
    args = url_args(world)
    before = snapshot()
    allowed = {
        "contact_a": {"nominate"},
        "expert_user": {"event_register", "event_unregister"},
    }.get(actor, set())
    got = {}
    for name in WRITES:
        if name in allowed or (actor == "national_member" and name == "grant_decide"):
            continue
        response = client.post(reverse(f"alueet:{name}", args=args.get(name, [])),
                               POST_DATA.get(name, {}))  # fmt: skip
        got[name] = response.status_code
    assert {name: code for name, code in got.items() if code != 404} == {}
    assert snapshot() == before
