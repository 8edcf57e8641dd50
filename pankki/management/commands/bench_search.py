"""Measure the bank's search page on a generated register, against a naive baseline.

    manage.py bench_search                 # 100,000 experts in the database kotove_bench
    manage.py bench_search --experts 20000 # a smaller run

The register is kept between runs (regenerated when --experts changes). Times are server times
through Django's test client: middleware, filtering, SQL and the template, no network, with
DEBUG off as in production.

Nothing in the search caches results: each request filters, counts, orders and renders anew.
What is warm after the first round, for both implementations, is what is warm on any busy
site: PostgreSQL's buffers and the cached choice lists of the filter form.

On a shared machine wall-clock times swing with the load, so the command prints the load and,
beside the wall-clock times, the CPU time a request used in the Django process and in its
PostgreSQL backend (read from /proc when the database runs on this machine): on an idle
machine the two are about the same. (Parallel workers' CPU time is not counted; only the naive
implementation's sequential scans use them.)
"""

from __future__ import annotations

import os
import statistics
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from kotove.benchmarks import use_database
from kotove.models import OrdererOrganisation, Role, User
from pankki import bench
from pankki.models import Expert


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class BackendClock:
    """CPU milliseconds used by this connection's PostgreSQL backend, when it is local."""

    def __init__(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.path = f"/proc/{cursor.fetchone()[0]}/schedstat"
        self.available = os.access(self.path, os.R_OK)

    def __call__(self) -> float:
        if not self.available:
            return 0.0
        with open(self.path) as stat:
            return int(stat.read().split()[0]) / 1e6


class Command(BaseCommand):
    help = "Benchmark the search page on a separate database against a naive implementation."

    def add_arguments(self, parser):
        parser.add_argument("--experts", type=int, default=100_000)
        parser.add_argument("--database", default="kotove_bench")
        parser.add_argument("--rounds", type=int, default=3, help="timed rounds of the 50 queries")

    def handle(self, *args, experts, database, rounds, **options):
        use_database(database)
        call_command("migrate", verbosity=0)
        if Expert.objects.count() != experts:
            self.stdout.write(f"Generating {experts:,} experts in {database} …")
            started = time.perf_counter()
            Expert.objects.all().delete()
            bench.generate(experts)
            self.stdout.write(f"  done in {time.perf_counter() - started:.0f} s")
        client = Client()
        client.force_login(self._orderer())
        mix = bench.query_mix()
        # A cache of this run's own: the warm-up builds the cached choice lists, so no measured
        # page rebuilds them (they expire after five minutes; the page that rebuilds them reads
        # seven more queries, as the first search after a deploy does).
        cache = {**settings.CACHES["default"], "KEY_PREFIX": f"bench-{database}-{time.time_ns()}"}
        production = {"DEBUG": False, "ALLOWED_HOSTS": [*settings.ALLOWED_HOSTS, "testserver"]}
        with override_settings(
            ROOT_URLCONF="pankki.bench", CACHES={"default": cache}, **production
        ):
            client.get("/pankki/")  # the session and the connection
            clock = BackendClock()
            load = os.getloadavg()
            for url in ("/pankki/", "/naive/"):  # warm up caches and the database, both alike
                for _kind, params in mix:
                    client.get(url, params)
            ours = self._measure(client, clock, "/pankki/", mix, rounds)
            naive = self._measure(client, clock, "/naive/", mix, 1)
        load = [max(a, b) for a, b in zip(load, os.getloadavg(), strict=True)]
        self._report(experts, mix, ours, naive, load, clock.available)

    def _orderer(self) -> User:
        user, _ = User.objects.get_or_create(email="bench-orderer@example.fi")
        organisation, _ = OrdererOrganisation.objects.get_or_create(
            name="Benchmark", defaults={"kind": OrdererOrganisation.Kind.OTHER}
        )
        Role.objects.get_or_create(
            user=user, kind=Role.Kind.ORDERER, orderer_organisation=organisation
        )
        return user

    def _measure(self, client, clock, url, mix, rounds):
        results = []
        for _ in range(rounds):
            for kind, params in mix:
                with CaptureQueriesContext(connection) as queries:
                    started, cpu, backend = time.perf_counter(), time.process_time(), clock()
                    response = client.get(url, params)
                    elapsed = (time.perf_counter() - started) * 1000
                    cpu = (time.process_time() - cpu) * 1000 + clock() - backend
                assert response.status_code == 200, (url, params, response.status_code)
                results.append((kind, elapsed, cpu, len(queries.captured_queries)))
        return results

    def _report(self, experts, mix, ours, naive, load, with_cpu):
        def line(label, rows):
            times = [t for _k, t, _c, _q in rows]
            queries = [q for _k, _t, _c, q in rows]
            text = (
                f"  {label:<14} p50 {statistics.median(times):7.1f} ms   "
                f"p95 {percentile(times, 0.95):7.1f} ms   max {max(times):7.1f} ms   "
                f"queries {min(queries)}–{max(queries)}"
            )
            if with_cpu:
                cpu = [c for _k, _t, c, _q in rows]
                text += f"   CPU p50 {statistics.median(cpu):5.1f} p95 {percentile(cpu, 0.95):5.1f}"
            return text

        self.stdout.write(
            f"\nSearch benchmark: {experts:,} experts, {len(mix)} queries per round, "
            f"{len(ours) // len(mix)} rounds\n"
            f"{os.cpu_count()} CPUs, load average (1, 5, 15 min, highest seen) "
            f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
        )
        self.stdout.write("This implementation (search entries, full-text index, lemmas):")
        for kind in dict.fromkeys(k for k, _p in mix):
            self.stdout.write(line(kind, [r for r in ours if r[0] == kind]))
        self.stdout.write(line("all", ours))
        self.stdout.write("Naive implementation (icontains over the same tables, no index):")
        self.stdout.write(line("all", naive))
        ours_p95 = percentile([t for _k, t, _c, _q in ours], 0.95)
        naive_p95 = percentile([t for _k, t, _c, _q in naive], 0.95)
        self.stdout.write(f"\np95 ratio naive / ours: {naive_p95 / ours_p95:.1f}×")
        if with_cpu:
            ours_cpu = percentile([c for _k, _t, c, _q in ours], 0.95)
            naive_cpu = percentile([c for _k, _t, c, _q in naive], 0.95)
            self.stdout.write(f"p95 ratio of CPU time: {naive_cpu / ours_cpu:.1f}×")
        self.stdout.write("")
