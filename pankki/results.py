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
  RANKED / PAGE_SIZE pages; the rest follow in the fair order. The bank has about 600
  experts, so there every match is ranked; the bound keeps a page's cost flat far beyond that.
"""

from __future__ import annotations

import math
from datetime import date

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connections, transaction
from django.db.models import Count, F, Func, IntegerField, Q, Window

from .models import SearchEntryQuerySet

PAGE_SIZE = 20
RANKED = 1000
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


def _first_in_order(entries: SearchEntryQuerySet, day: date, needed: int, total: int):
    """The entries first in the fair order: at least `needed` of them (of `total`) with a
    margin that makes a miss (and a second read) practically never happen.

    They are the entries whose sort key, shuffle XOR seed, is below a limit. For each bit set
    in the limit, the keys that agree with it above that bit and have 0 there are an aligned
    block of `shuffle` values, one index range; the limit is rounded up to three significant
    bits, so at most three ranges read at most a quarter more than asked."""
    limit = (1.2 * needed + 40) / total * SHUFFLE_RANGE
    unit = 2 ** max(0, math.floor(math.log2(limit)) - 2)
    limit = math.ceil(limit / unit) * unit
    if limit >= SHUFFLE_RANGE:
        return entries
    seed, ranges = daily_seed(day), Q()
    for bit in range(limit.bit_length()):
        if limit >> bit & 1:
            low = ((limit >> bit ^ 1) ^ (seed >> bit)) << bit
            ranges |= Q(shuffle__gte=low, shuffle__lt=low + 2**bit)
    return entries.filter(ranges)


def _fair_ids(entries, day: date, offset: int, total: int) -> list[int]:
    def page(queryset):
        ordered = queryset.order_by(daily_order(day), "pk").values_list("pk", flat=True)
        return list(ordered[offset : offset + PAGE_SIZE])

    ids = page(_first_in_order(entries, day, offset + PAGE_SIZE, total))
    if len(ids) < min(PAGE_SIZE, total - offset):
        ids = page(entries)  # the block held too few: a rare miss, still exact
    return ids


def _ranked_ids(entries, query: SearchQuery, day: date, offset: int, total: int) -> list[int]:
    def page(queryset):
        candidates = (
            queryset.annotate(
                entry=F("pk"),
                rank=SearchRank(F("document"), query),
                fair=daily_order(day),
                matches=Window(Count("*")),
            )
            .order_by("fair", "pk")
            .values_list("entry", "rank", "fair", "matches")[:RANKED]
        )
        sql, params = candidates.query.sql_with_params()
        # Ranking outside the subquery sorts the candidates without their documents.
        with connections[entries.db].cursor() as cursor:
            cursor.execute(
                f"SELECT entry, matches FROM ({sql}) candidate"  # noqa: S608 - the ORM's SQL
                " ORDER BY rank DESC, fair, entry LIMIT %s OFFSET %s",
                (*params, PAGE_SIZE, offset),
            )
            return cursor.fetchall()

    rows = page(_first_in_order(entries, day, RANKED, total))
    if not rows or rows[0][1] < min(RANKED, total):
        rows = page(entries)  # the block held too few: a rare miss, still exact
    return [pk for pk, _matches in rows]


def results_page(
    entries: SearchEntryQuerySet, *, text_query: SearchQuery | None, number, day: date
) -> Page:
    """The page `number` (a page past the end is the last page) of the filtered entries; its
    object_list holds expert ids."""
    with transaction.atomic(using=entries.db), connections[entries.db].cursor() as cursor:
        # Counting from index bitmaps never reads the table, but PostgreSQL's cost model does
        # not know that and, for a common word, would read all of it instead. And a page is a
        # few milliseconds' work: parallel workers would only take cores from other requests.
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true),"
            " set_config('max_parallel_workers_per_gather', '0', true)"
        )
        total = entries.count_visible(day)
        page = Paginator(range(total), PAGE_SIZE).get_page(number)
        offset = (page.number - 1) * PAGE_SIZE
        visible = entries.visible(day)
        if not total:
            page.object_list = []
        elif text_query is not None and offset < RANKED:
            page.object_list = _ranked_ids(visible, text_query, day, offset, total)
        else:
            page.object_list = _fair_ids(visible, day, offset, total)
    return page


def matching_ids(entries: SearchEntryQuerySet, day: date) -> list[int]:
    """Every expert the filtered entries show on `day` (saved searches compare these)."""
    return list(entries.visible(day).values_list("pk", flat=True))
