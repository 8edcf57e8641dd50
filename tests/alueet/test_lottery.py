"""The verifiable lot: determinism, digests, verification, and the rules around the draw."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from alueet import lottery
from alueet.models import CandidateList, Draw, SeatCategory
from alueet.services import organising as services

from .conftest import drawn_organising_meeting
from .factories import NominationFactory, OrganisingMeetingFactory

CANDIDATES = [("Aino Aaltonen", "Aivoliitto"), ("Bertta Berg", "Suomen Syöpäyhdistys"),
              ("Cecilia Cederberg", "Hengitysliitto"), ("Daniel Dahl", "Kuuloliitto")]  # fmt: skip
WITNESSES = [("Maija Meikäläinen", "3 5 1"), ("Pekka Virtanen", "6 2 4")]
DRAWN_AT = datetime.datetime(2026, 3, 14, 8, 32, 41, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _services_in_english():
    """Services speak the active language, which is Finnish unless an earlier request in the
    same process left another: the messages matched here are the source ones."""
    with translation.override("en"):
        yield


def test_list_text_and_digest_are_canonical():
    text = lottery.list_text(category="organisation", seats=2, candidates=CANDIDATES)
    assert text.splitlines()[:4] == [
        "Kokemustoimintaverkosto candidate list v1",
        "category: organisation",
        "seats: 2",
        "1. Aino Aaltonen | Aivoliitto",
    ]
    assert lottery.sha256(text) == hashlib.sha256(text.encode()).hexdigest()
    spaced = [("  Aino   Aaltonen ", "Aivoliitto"), *CANDIDATES[1:]]
    assert lottery.list_text(category="organisation", seats=2, candidates=spaced) == text


def test_seed_comes_from_the_time_and_the_witnesses_dice():
    text = lottery.seed_text(drawn_at=DRAWN_AT, witnesses=WITNESSES)
    assert text == (
        "Kokemustoimintaverkosto draw inputs v1\n"
        "time: 2026-03-14T10:32:00+02:00\n"
        "witness: Maija Meikäläinen | dice: 3 5 1\n"
        "witness: Pekka Virtanen | dice: 6 2 4\n"
    )
    assert lottery.clean_dice(" 3,5;1 ") == "3 5 1"
    for bad in ("", "7", "3 x", "0 1"):
        with pytest.raises(ValueError):
            lottery.clean_dice(bad)


def test_same_inputs_give_the_same_order_and_changed_inputs_another():
    digest = lottery.sha256(lottery.list_text(category="expert", seats=2, candidates=CANDIDATES))
    seed = lottery.sha256(lottery.seed_text(drawn_at=DRAWN_AT, witnesses=WITNESSES))
    order = lottery.draw(digest=digest, seed=seed, count=4)
    assert sorted(order) == [1, 2, 3, 4]
    assert lottery.draw(digest=digest, seed=seed, count=4, version="1") == order
    lots = lottery.lots(digest=digest, seed=seed, count=4)
    assert order == sorted(lots, key=lots.get)
    assert lots[1] == hashlib.sha256(f"{seed}:{digest}:1".encode()).hexdigest()
    other_seeds = {
        tuple(lottery.draw(digest=digest, seed=lottery.sha256(str(n)), count=4)) for n in range(30)
    }
    assert len(other_seeds) > 5  # the seed decides


def test_verification_fails_when_the_list_changes():
    text = lottery.list_text(category="unit", seats=1, candidates=CANDIDATES)
    digest = lottery.sha256(text)
    seed_text = lottery.seed_text(drawn_at=DRAWN_AT, witnesses=WITNESSES)
    seed = lottery.sha256(seed_text)
    order = lottery.draw(digest=digest, seed=seed, count=4)
    kwargs = {"published_digest": digest, "seed_text_": seed_text, "published_seed": seed,
              "published_order": order, "count": 4, "version": "1"}  # fmt: skip
    assert lottery.verify(list_text_=text, **kwargs).ok
    swapped = lottery.list_text(category="unit", seats=1, candidates=CANDIDATES[::-1])
    result = lottery.verify(list_text_=swapped, **kwargs)
    assert result.digest != digest
    assert not result.list_matches and not result.ok
    other_dice = lottery.seed_text(drawn_at=DRAWN_AT, witnesses=[WITNESSES[0], ("Pekka", "1")])
    result = lottery.verify(list_text_=text, **kwargs | {"seed_text_": other_dice})
    assert not result.seed_matches and not result.ok


def test_the_result_page_verifies_and_a_tampered_list_fails(client, pirkanmaa, planner):
    meeting, draw = drawn_organising_meeting(pirkanmaa, planner)
    url = reverse("alueet:draw_verify", args=[meeting.public_token, draw.pk])
    page = client.get(url).content.decode()  # anyone with the link
    assert "Verified: re-running the draw" in page
    for value in (draw.seed, draw.candidate_list.digest, "Maija Meikäläinen", "3 5 1"):
        assert value in page
    assert "How the lot is drawn (algorithm version 1)" in page
    candidate_list = draw.candidate_list
    candidate_list.entries[0]["name"] = "Joku Muu"
    CandidateList.objects.filter(pk=candidate_list.pk).update(entries=candidate_list.entries)
    page = client.get(url).content.decode()
    assert "Verification failed" in page
    assert "The list does not match its published digest." in page


def test_drawing_needs_a_frozen_list_and_is_never_rerun(pirkanmaa, planner):
    meeting = OrganisingMeetingFactory(group=pirkanmaa, announced=True)
    for _ in range(3):
        NominationFactory(organising_meeting=meeting)
    draw_args = {"organising_meeting": meeting, "category": SeatCategory.ORGANISATION,
                 "drawn_at": timezone.now(), "witnesses": WITNESSES, "by": planner}  # fmt: skip
    with pytest.raises(ValidationError, match="no frozen candidate list"):
        services.record_draw(**draw_args)
    services.close_nominations(organising_meeting=meeting, by=planner)
    services.record_seats(organising_meeting=meeting, seats={"organisation": 2}, by=planner)
    with pytest.raises(ValidationError, match="no frozen candidate list"):
        services.record_draw(**draw_args)
    assert not Draw.objects.exists()
    services.freeze_candidate_lists(organising_meeting=meeting, by=planner)
    with pytest.raises(ValidationError, match="at least two named witnesses"):
        services.record_draw(**draw_args | {"witnesses": WITNESSES[:1]})
    first = services.record_draw(**draw_args)
    with pytest.raises(ValidationError, match="never rerun"):
        services.record_draw(**draw_args | {"witnesses": [("A", "1"), ("B", "2")]})
    with pytest.raises(ValidationError) as error:
        services.cancel_draw(draw=first, reason="  ", by=planner)
    assert "reason" in error.value.error_dict
    services.cancel_draw(draw=first, reason="Noppa putosi lattialle", by=planner)
    second = services.record_draw(**draw_args | {"witnesses": [("A", "1 2"), ("B", "2 3")]})
    assert list(Draw.objects.values_list("pk", "cancel_reason")) == [
        (first.pk, "Noppa putosi lattialle"),
        (second.pk, ""),
    ]


def test_the_result_creates_the_new_terms_memberships(pirkanmaa, planner, client):
    meeting, draw = drawn_organising_meeting(pirkanmaa, planner, candidates=3, seats=2)
    NominationFactory(organising_meeting=meeting, category=SeatCategory.UNIT)
    term = services.complete(organising_meeting=meeting, by=planner)
    elected = {e["number"]: e["nomination"] for e in draw.candidate_list.entries}
    expected = {elected[n] for n in draw.order[:2]}
    assert set(term.memberships.values_list("nomination", flat=True)) == expected
    assert (term.starts_on, term.ends_on) == (meeting.term_starts_on, meeting.term_ends_on)
    # the unit candidate came after the freeze: not on any list, not elected
    assert term.memberships.count() == 2
    with pytest.raises(ValidationError, match="created from this draw"):
        services.cancel_draw(draw=draw, reason="Myöhään", by=planner)
    page = client.get(reverse("alueet:candidates", args=[meeting.public_token])).content.decode()
    assert page.count("– <strong>elected</strong>") == 4  # in the list and in the order drawn


def test_the_same_person_is_not_both_witnesses(client, pirkanmaa, secretary_x, planner):
    meeting = OrganisingMeetingFactory(group=pirkanmaa, announced=True)
    for _ in range(3):
        NominationFactory(organising_meeting=meeting)
    services.close_nominations(organising_meeting=meeting, by=planner)
    services.record_seats(organising_meeting=meeting, seats={"organisation": 2}, by=planner)
    services.freeze_candidate_lists(organising_meeting=meeting, by=planner)
    client.force_login(secretary_x)
    url = reverse("alueet:draw_create", args=[meeting.pk, "organisation"])
    data = {"date": "2030-01-01", "time": "10:00", "witness_1": "Maija Meikäläinen",
            "dice_1": "3 5 1", "witness_2": "  maija   MEIKÄLÄINEN ", "dice_2": "6 2 4"}  # fmt: skip
    response = client.post(url, data)
    message = "This witness is named already: the witnesses are different people."
    assert response.context["form"].errors == {"witness_2": [message]}
    assert message in response.content.decode()
    response = client.post(url, data | {"witness_2": "Pekka Virtanen", "witness_3": "MAIJA "
                                        "meikäläinen", "dice_3": "1"})  # fmt: skip
    assert response.context["form"].errors == {"witness_3": [message]}
    assert not Draw.objects.exists()
    with pytest.raises(ValidationError, match="a name is given twice"):
        services.record_draw(organising_meeting=meeting, category=SeatCategory.ORGANISATION,
                             drawn_at=timezone.now(), by=planner,
                             witnesses=[("Maija Meikäläinen", "1"), ("maija meikäläinen", "2")])  # fmt: skip
    assert not Draw.objects.exists()
    client.post(url, data | {"witness_2": "Pekka Virtanen"})
    assert [w["name"] for w in Draw.objects.get().witnesses] == [
        "Maija Meikäläinen",
        "Pekka Virtanen",
    ]
