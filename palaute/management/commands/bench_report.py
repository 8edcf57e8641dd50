"""Build the whole network's annual report on a generated, grown network and measure it.

    manage.py bench_report                      # 5,000 experts, 100,000 tasks, 500,000 answers
    manage.py bench_report --tasks 20000 ...    # a smaller run

The data lives in the database kotove_bench_report beside the development one and is kept
between runs (regenerated when the sizes change). The report is the planner's version for the
last of the five years, in Finnish: the largest report there is.

The build is measured in a fresh process (generating the data loads word lists that would
inflate its memory). Printed per output: the wall time and the CPU time (on a busy, shared
machine the CPU time is what an idle one would take), the process's peak resident memory so
far (VmHWM of /proc/self/status: everything, C libraries included; it never goes down, so it
is the peak of the whole build up to that output), and, in a second pass with tracemalloc on
(tracing slows Python down), the peak of Python's own allocations per output. The load average shows
how busy the machine was.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
import tracemalloc

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from kotove.benchmarks import use_database
from palaute import bench
from palaute.models import Report
from palaute.reports import outputs
from palaute.reports.build import compute

OUTPUTS = [("PDF", outputs.pdf), ("XLSX", outputs.xlsx), ("CSV (zip)", outputs.csv_zip)]


def rss_mb() -> float:
    """The peak resident memory of this process so far (VmHWM; unlike getrusage's ru_maxrss,
    it is not carried over from the process that started this one)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Benchmark building the network's annual report on a separate, generated database."

    def add_arguments(self, parser):
        parser.add_argument("--experts", type=int, default=5_000)
        parser.add_argument("--tasks", type=int, default=100_000)
        parser.add_argument("--answers", type=int, default=500_000)
        parser.add_argument("--courses", type=int, default=200)
        parser.add_argument("--database", default="kotove_bench_report")
        parser.add_argument("--rounds", type=int, default=1, help="timed builds")
        parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, experts, tasks, answers, courses, database, rounds, measure, **options):
        use_database(database)
        year = timezone.localdate().year - 1
        if measure:
            return self._measure(year, rounds)
        call_command("migrate", verbosity=0)
        sizes = {"experts": experts, "tasks": tasks, "answers": answers, "courses": courses}
        found = bench.counts()
        if any(found[name] != size for name, size in sizes.items()):
            self.stdout.write(
                f"Generating {experts:,} experts, {tasks:,} tasks, ~{answers:,} answers, "
                f"{courses} courses …"
            )
            started = time.perf_counter()
            self._empty()
            bench.generate(
                experts=experts, tasks=tasks, answers=answers, courses=courses, last_year=year
            )
            self.stdout.write(f"  done in {time.perf_counter() - started:.0f} s")
        self.stdout.flush()
        command = [sys.executable, "manage.py", "bench_report", "--measure"]
        command += ["--database", database, "--rounds", str(rounds)]
        subprocess.run(command, check=True, cwd=settings.BASE_DIR)  # noqa: S603 - our own command

    def _measure(self, year, rounds):
        found = bench.counts()
        report = Report(year=year, scope=Report.Scope.NETWORK, language="fi", for_planner=True)
        self.stdout.write(
            f"\nNetwork report {year} (planner's version) on {found['experts']:,} experts, "
            f"{found['tasks']:,} tasks, {found['answers']:,} feedback answers, "
            f"{found['courses']} courses"
        )
        self.stdout.write(f"Load average before: {self._load()}")
        self.stdout.write(f"Resident memory before building: {rss_mb():.0f} MB\n")
        for round_number in range(1, rounds + 1):
            self._timed(report, round_number)
        self._traced(report)
        self.stdout.write(f"Load average after: {self._load()}")

    def _timed(self, report, round_number):
        started, cpu = time.perf_counter(), time.process_time()
        data = compute(report)
        timings = [
            ("figures (SQL)", time.perf_counter() - started, time.process_time() - cpu, rss_mb())
        ]
        sizes = {}
        for name, render in OUTPUTS:
            began, cpu_began = time.perf_counter(), time.process_time()
            sizes[name] = len(render(data))
            timings.append(
                (name, time.perf_counter() - began, time.process_time() - cpu_began, rss_mb())
            )
        total, total_cpu = time.perf_counter() - started, time.process_time() - cpu
        self.stdout.write(
            f"Round {round_number}: wall time, CPU time of this process, peak RSS so far"
        )
        for name, seconds, cpu_seconds, rss in timings:
            size = f"  {sizes[name] / 1024:,.0f} KiB" if name in sizes else ""
            self.stdout.write(
                f"  {name:<14} {seconds:6.2f} s  cpu {cpu_seconds:6.2f} s  {rss:6.0f} MB{size}"
            )
        self.stdout.write(
            f"  {'total':<14} {total:6.2f} s  cpu {total_cpu:6.2f} s  {rss_mb():6.0f} MB\n"
        )

    def _traced(self, report):
        self.stdout.write("Traced pass: peak of Python allocations per step (tracemalloc)")
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            data = compute(report)
            self._peak("figures (SQL)")
            for name, render in OUTPUTS:
                tracemalloc.reset_peak()
                render(data)
                self._peak(name)
        finally:
            tracemalloc.stop()

    def _peak(self, name):
        _current, peak = tracemalloc.get_traced_memory()
        self.stdout.write(f"  {name:<14} {peak / 2**20:6.1f} MB")

    @staticmethod
    def _load() -> str:
        return " ".join(f"{value:.2f}" for value in os.getloadavg()) + f" ({os.cpu_count()} cores)"

    @staticmethod
    def _empty():
        with connection.cursor() as cursor:
            # Tasks, feedback, consents and every other row about an expert go with them.
            cursor.execute("TRUNCATE pankki_expert, palaute_report, koulutus_course CASCADE")
