"""One page of the orderers' search: the count, the fair daily order, relevance for text.

A page costs about the same however many experts match:

- The count reads indexes only (SearchEntryQuerySet.count_visible).
- The fair order sorts by `shuffle XOR seed`, the seed changing daily. The entries whose sort
  key is below a limit come first, and they are a few ranges of `shuffle` (_first_in_order).
  So a page is read from the entries first in the order, as many as are expected to hold it
  with a margin (the count tells how many that is), through the index on `shuffle`; if they
  hold too few, the page is read without the limit.
- Text queries are ordered by relevance (ts_rank), ties in the fair order. When more than
  RANKED experts match, the RANKED first in the fair order are ranked and fill the first
  RANKED / PAGE_SIZE pages (25); the rest follow in the fair order. The bank has about 600
  experts: a query would have to match five in six of them before any match went unranked.
  The bound keeps a page's cost flat far beyond that: ranking reads every candidate's words.
"""

from __future__ import annotations

import math
from datetime import date

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connections, transaction
from django.db.models import BooleanField, F, Func, IntegerField, Q

from .models import SearchEntryQuerySet

PAGE_SIZE = 20
RANKED = 500
assert RANKED % PAGE_SIZE == 0  # no page mixes ranked and unranked experts
SHUFFLE_RANGE = 2**31  # Expert.shuffle is drawn from range(2**31)


def daily_seed(day: date) -> int:
    return (day.toordinal() * 2654435761) % SHUFFLE_RANGE


def daily_order(day: date) -> Func:
    """A fair order that changes every day: the expert's fixed random number XOR a day seed."""
    return Func(
        "shuffle",
        template=f"(%(expressions)s # {daily_seed(day)})",
        output_field=IntegerField(),
    )


def _first_in_order(day: date, needed: int, total: int) -> tuple[Q, float] | None:
    """The entries first in the fair order, as a condition on `shuffle`, and the share of all
    entries it holds: at least `needed` of the `total` that match, with a margin that makes a
    miss (and a second read) practically never happen. None when that is every entry.

    They are the entries whose sort key, shuffle XOR seed, is below a limit. For each bit set
    in the limit, the keys that agree with it above that bit and have 0 there are an aligned
    block of `shuffle` values, one index range; the limit is rounded up to three significant
    bits, so at most three ranges read at most a quarter more than asked."""
    limit = (1.2 * needed + 40) / total * SHUFFLE_RANGE
    unit = 2 ** max(0, math.floor(math.log2(limit)) - 2)
    limit = math.ceil(limit / unit) * unit
    if limit >= SHUFFLE_RANGE:
        return None
    seed, ranges = daily_seed(day), Q()
    for bit in range(limit.bit_length()):
        if limit >> bit & 1:
            low = ((limit >> bit ^ 1) ^ (seed >> bit)) << bit
            ranges |= Q(shuffle__gte=low, shuffle__lt=low + 2**bit)
    return ranges, limit / SHUFFLE_RANGE


def _fair_ids(entries, day: date, offset: int, total: int) -> list[int]:
    def page(queryset):
        ordered = queryset.order_by(daily_order(day), "pk").values_list("pk", flat=True)
        return list(ordered[offset : offset + PAGE_SIZE])

    block = _first_in_order(day, offset + PAGE_SIZE, total)
    ids = page(entries.filter(block[0]) if block else entries)
    if block and len(ids) < min(PAGE_SIZE, total - offset):
        ids = page(entries)  # the block held too few: a rare miss, still exact
    return ids


# A ranked page reads its candidates from a block of the fair order only when the block is at
# most this share of all entries: a larger block's index costs more to read than ranking every
# match (then fewer than (1.2 * RANKED + 40) / BLOCK_SHARE, about 2,600, match).
BLOCK_SHARE = 0.25
# The block is read through the words' index, which lists every entry the words match, unless
# the block holds fewer entries than this share of the matches (common words): then the words
# are tested on each entry of the block, about ten times the cost per entry.
WORDS_INDEX_SHARE = 0.1


def _ranked_ids(
    entries, words: SearchQuery, day: date, offset: int, total: int, table_rows: float
) -> list[int]:
    def page(queryset):
        candidates = (
            queryset.annotate(
                entry=F("pk"), rank=SearchRank(F("document"), words), fair=daily_order(day)
            )
            .order_by("fair", "pk")
            .values_list("entry", "rank", "fair")[:RANKED]
        )
        sql, params = candidates.query.sql_with_params()
        # Ranking outside the subquery sorts the candidates without their documents; so does
        # counting them (whether the block held enough).
        with connections[entries.db].cursor() as cursor:
            cursor.execute(
                f"SELECT entry, count(*) OVER () FROM ({sql}) candidate"  # noqa: S608 - the ORM's SQL
                " ORDER BY rank DESC, fair, entry LIMIT %s OFFSET %s",
                (*params, PAGE_SIZE, offset),
            )
            return cursor.fetchall()

    matches = matching(entries, words)
    block = _first_in_order(day, RANKED, total)
    if block is None or block[1] > BLOCK_SHARE:
        return [pk for pk, _candidates in page(matches)]
    ranges, share = block
    if 0 <= share * table_rows < WORDS_INDEX_SHARE * total:  # (-1 rows: never analysed)
        in_block = entries.filter(ranges, unindexed_match(words))
    else:
        in_block = matches.filter(ranges)
    rows = page(in_block)
    if not rows or rows[0][1] < min(RANKED, total):
        rows = page(matches)  # the block held too few: a rare miss, still exact
    return [pk for pk, _candidates in rows]


def unindexed_match(words: SearchQuery) -> Func:
    """document @@ words, written as the operator's function, which no index serves."""
    return Func(F("document"), words, function="ts_match_vq", output_field=BooleanField())


def matching(entries: SearchEntryQuerySet, words: SearchQuery | None) -> SearchEntryQuerySet:
    """The entries that match the words (every entry without words), through their index."""
    return entries if words is None else entries.filter(document=words)


def results_page(
    entries: SearchEntryQuerySet, *, text_query: SearchQuery | None, number, day: date
) -> Page:
    """The page `number` (a page past the end is the last page) of the filtered entries that
    match the words of `text_query`; its object_list holds expert ids."""
    matches = matching(entries, text_query)
    with transaction.atomic(using=entries.db), connections[entries.db].cursor() as cursor:
        # Counting from index bitmaps never reads the table, but PostgreSQL's cost model does
        # not know that and, for a common word, would read all of it instead. The entries are
        # read from memory, not disk: costed as disk reads, a few hundred of them looked worse
        # than reading every entry a common word's index lists. And a page is a few
        # milliseconds' work: parallel workers would only take cores from other requests.
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true),"
            " set_config('random_page_cost', '1.1', true),"
            " set_config('max_parallel_workers_per_gather', '0', true),"
            " (SELECT reltuples FROM pg_class WHERE oid = %s::regclass)",
            [entries.model._meta.db_table],
        )
        table_rows = cursor.fetchone()[3]
        total = matches.count_visible(day)
        page = Paginator(range(total), PAGE_SIZE).get_page(number)
        offset = (page.number - 1) * PAGE_SIZE
        if not total:
            page.object_list = []
        elif text_query is not None and offset < RANKED:
            visible = entries.visible(day)
            page.object_list = _ranked_ids(visible, text_query, day, offset, total, table_rows)
        else:
            page.object_list = _fair_ids(matches.visible(day), day, offset, total)
    return page


def matching_ids(
    entries: SearchEntryQuerySet, text_query: SearchQuery | None, day: date
) -> list[int]:
    """Every expert the filtered entries that match the words show on `day` (saved searches
    compare these)."""
    return list(matching(entries, text_query).visible(day).values_list("pk", flat=True))
