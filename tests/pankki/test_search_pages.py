"""Pages of search results: the daily fair order and relevance, whatever path a page takes."""

import datetime
import random

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pankki import results, services, textsearch
from pankki.models import Expert, SearchEntry
from pankki.results import PAGE_SIZE, daily_order, daily_seed, results_page

from .factories import municipality, organisation

DAY = datetime.date(2026, 12, 1)


def listed_experts(count: int, *, shuffles: str, texts=None) -> None:
    """`count` searchable experts, their `shuffle` random or all in the half of the range
    away from DAY's seed (so that the first block read for a page holds nobody)."""
    rng = random.Random(count)
    half = 2**30
    away = 0 if daily_seed(DAY) >= half else half
    experts = Expert.objects.bulk_create(
        Expert(
            first_name=f"H{n:03d}",
            last_name="Henkilö",
            email=f"h{n}@example.fi",
            home_municipality=municipality("Tampere"),
            responsible_organisation=organisation("Aivoliitto"),
            experience_kind=Expert.ExperienceKind.OWN,
            languages=["fi"],
            presentation_fi=texts[n] if texts else "",
            basic_training_date=datetime.date(2024, 1, 1),
            consented=True,
            shuffle=rng.randrange(2**31) if shuffles == "random" else away + rng.randrange(half),
        )
        for n in range(count)
    )
    services.refresh_search_entries(expert_ids=[e.pk for e in experts])


def every_page(entries, text_query=None) -> list[int]:
    ids, number = [], 1
    while True:
        page = results_page(entries, text_query=text_query, number=number, day=DAY)
        ids.extend(page.object_list)
        if not page.has_next():
            return ids
        number += 1


def fair(entries) -> list[int]:
    return list(entries.order_by(daily_order(DAY), "pk").values_list("pk", flat=True))


def page_reads(entries, text_query=None) -> list[str]:
    """The SQL that read the first page's experts."""
    with CaptureQueriesContext(connection) as queries:
        results_page(entries, text_query=text_query, number=1, day=DAY)
    return [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"]]


def first_of_the_order_only(sql: str) -> bool:
    return '"shuffle" >= ' in sql  # (the block's upper end is the range's, which Django omits)


@pytest.mark.parametrize("shuffles", ["random", "away from the seed"])
def test_pages_follow_the_daily_order(db, shuffles):
    listed_experts(230, shuffles=shuffles)
    entries = SearchEntry.objects.all()
    reads = page_reads(entries)
    assert first_of_the_order_only(reads[0])
    assert len(reads) == (1 if shuffles == "random" else 2)  # a miss reads again, exactly
    assert every_page(entries) == fair(entries)
    assert len(set(every_page(entries))) == 230
    last = results_page(entries, text_query=None, number="99", day=DAY)  # past the end
    assert (last.number, last.object_list) == (12, fair(entries)[220:])


PATHS = ["block through the words' index", "block, words tested on each entry", "every match"]


@pytest.mark.parametrize("shuffles", ["random", "away from the seed"])
@pytest.mark.parametrize("path", PATHS)
def test_text_pages_rank_the_first_experts_of_the_fair_order(db, monkeypatch, shuffles, path):
    """More matches than RANKED: the RANKED first in the fair order come first, by relevance
    (ties in the fair order); the rest follow in the fair order. Whichever way the candidates
    are read."""
    monkeypatch.setattr(results, "RANKED", 2 * PAGE_SIZE)
    monkeypatch.setattr(results, "BLOCK_SHARE", 0 if path == "every match" else 1)
    monkeypatch.setattr(results, "WORDS_INDEX_SHARE", 1e9 if "tested" in path else 0)
    texts = [" ".join(["Kerron afasiasta."] * (1 + n % 3)) for n in range(300)]
    listed_experts(300, shuffles=shuffles, texts=texts)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pankki_searchentry")  # how many entries there are
    query = SearchQuery(textsearch.to_tsquery("afasia"), search_type="raw", config="simple")
    matching = SearchEntry.objects.filter(document=query)
    order = fair(matching)
    rank = dict(matching.annotate(rank=SearchRank(F("document"), query)).values_list("pk", "rank"))
    first = sorted(order[:40], key=lambda pk: (-rank[pk], order.index(pk)))
    entries = SearchEntry.objects.all()  # results_page matches the words
    reads = page_reads(entries, query)
    assert first_of_the_order_only(reads[0]) == (path != "every match")
    assert ("ts_match_vq" in reads[0]) == ("tested" in path)
    misses = shuffles != "random" and path != "every match"
    assert len(reads) == (2 if misses else 1)  # a miss reads again, exactly
    assert len(set(rank.values())) == 3  # relevance does tell the experts apart
    assert every_page(entries, query) == first + order[40:]


def test_every_match_is_ranked_when_few_match(db):
    texts = [" ".join(["Puhun masennuksesta."] * (1 + n % 4)) for n in range(50)]
    listed_experts(50, shuffles="random", texts=texts)
    query = SearchQuery(textsearch.to_tsquery("masennus"), search_type="raw", config="simple")
    matching = SearchEntry.objects.filter(document=query)
    order = fair(matching)
    rank = dict(matching.annotate(rank=SearchRank(F("document"), query)).values_list("pk", "rank"))
    assert every_page(SearchEntry.objects.all(), query) == sorted(
        order, key=lambda pk: (-rank[pk], order.index(pk))
    )


def test_query_count_is_the_same_on_every_page(client, orderer, db, django_assert_max_num_queries):
    listed_experts(230, shuffles="random")
    client.force_login(orderer)
    url = reverse("pankki:search")
    client.get(url)  # choice lists come from the cache after the first page
    counts = []
    for page in ("1", "7", "12", "99"):
        with django_assert_max_num_queries(10) as queries:
            assert client.get(url, {"page": page}).status_code == 200
        counts.append(len(queries.captured_queries))
    assert len(set(counts)) == 1
