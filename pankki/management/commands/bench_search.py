"""Measure the bank's search page on a generated register, against a naive baseline.

    manage.py bench_search                 # 100,000 experts in the database kotove_bench
    manage.py bench_search --experts 20000 # a smaller run

The register is kept between runs (regenerated when --experts changes). Times are server times
through Django's test client: middleware, filtering, SQL and the template, no network.
"""

from __future__ import annotations

import statistics
import time

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from kotove.models import OrdererOrganisation, Role, User
from pankki import bench
from pankki.models import Expert


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Benchmark the search page on a separate database against a naive implementation."

    def add_arguments(self, parser):
        parser.add_argument("--experts", type=int, default=100_000)
        parser.add_argument("--database", default="kotove_bench")
        parser.add_argument("--rounds", type=int, default=3, help="timed rounds of the 50 queries")

    def handle(self, *args, experts, database, rounds, **options):
        self._use_database(database)
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
        cache = {**settings.CACHES["default"], "KEY_PREFIX": f"bench-{database}"}
        with override_settings(ROOT_URLCONF="pankki.bench", CACHES={"default": cache}):
            for _kind, params in mix:  # warm up caches and the database
                client.get("/pankki/", params)
            ours = self._measure(client, "/pankki/", mix, rounds)
            naive = self._measure(client, "/naive/", mix, 1)
        self._report(experts, mix, ours, naive)

    def _use_database(self, name: str) -> None:
        params = connection.get_connection_params()
        admin = {**params, "dbname": "postgres"}
        with psycopg.connect(**admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        connections.close_all()
        settings.DATABASES["default"]["NAME"] = name
        connections["default"].settings_dict["NAME"] = name

    def _orderer(self) -> User:
        user, _ = User.objects.get_or_create(email="bench-orderer@example.fi")
        organisation, _ = OrdererOrganisation.objects.get_or_create(
            name="Benchmark", defaults={"kind": OrdererOrganisation.Kind.OTHER}
        )
        Role.objects.get_or_create(
            user=user, kind=Role.Kind.ORDERER, orderer_organisation=organisation
        )
        return user

    def _measure(self, client, url, mix, rounds):
        results = []
        for _ in range(rounds):
            for kind, params in mix:
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url, params)
                    elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (url, params, response.status_code)
                results.append((kind, elapsed, len(queries.captured_queries), response))
        return results

    def _report(self, experts, mix, ours, naive):
        def line(label, rows):
            times = [t for _k, t, _q, _r in rows]
            queries = [q for _k, _t, q, _r in rows]
            return (
                f"  {label:<14} p50 {statistics.median(times):7.1f} ms   p95 {percentile(times, 0.95):7.1f} ms"
                f"   max {max(times):7.1f} ms   queries {min(queries)}–{max(queries)}"
            )

        self.stdout.write(
            f"\nSearch benchmark: {experts:,} experts, {len(mix)} queries per round\n"
        )
        self.stdout.write("This implementation (full-text index, lemmas, cached choices):")
        for kind in dict.fromkeys(k for k, _p in mix):
            self.stdout.write(line(kind, [r for r in ours if r[0] == kind]))
        self.stdout.write(line("all", ours))
        self.stdout.write("Naive implementation (icontains, no index):")
        self.stdout.write(line("all", naive))
        ours_p95 = percentile([t for _k, t, _q, _r in ours], 0.95)
        naive_p95 = percentile([t for _k, t, _q, _r in naive], 0.95)
        self.stdout.write(f"\np95 ratio naive / ours: {naive_p95 / ours_p95:.1f}×\n")
