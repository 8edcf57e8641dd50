"""`make load`: the site under gunicorn on the embedded stack, driven from a second process.

    python -m loadtest.run [--experts 10000] [--clients 20] [--seconds 60] [--warmup 10]
                           [--think 1] [--port 8010] [--workers 2] [--threads 1]
                           [--database kotove_load]

1. Sets up the database `kotove_load` beside the development one (reused when it holds the
   same number of experts, rebuilt otherwise): the demo network scaled to --experts experts,
   with two years of tasks, their feedback links and answers. Its cache and sessions live in
   Redis databases of their own.
2. Makes the load users (orderers, and organisation contacts enrolled in TOTP) and signs them
   in on the server: the clients get session cookies and never use the login form or the
   second factor.
3. Starts gunicorn with production settings (DEBUG off, static files by whitenoise, and
   gunicorn.conf.py), except that the site is plain http://127.0.0.1, so secure cookies and
   the HTTPS redirect are off.
4. Runs loadtest.driver in a second process: --clients closed-loop clients (each starts its
   next action when the last one ends, after a pause averaging --think seconds), a warm-up
   that is not counted, then --seconds measured.
5. Prints requests, requests/s, p50/p95/p99 latency and errors per page type, and checks that
   the database holds exactly as many new feedback answers as the clients sent.

Ctrl-C or a failure stops gunicorn, the driver and the embedded servers this command started.
Exit status (exit_status): 0 when every target is met; 1 when a request failed, a feedback
answer went missing or a page type was never requested; 2 when all was correct but the p95 of
search or profile pages was over 150 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from kotove import devstack

OUT = devstack.DATA / "load"
# Redis databases of the load site: its cache and sessions never mix with the development
# site's (1 and 0) or the tests' (2 and up).
CACHE_DB, BROKER_DB = 15, 14
TARGET_P95_MS = 150
TARGET_PAGES = ("search", "profile")


def production_env(port: int) -> dict[str, str]:
    """Production settings, but on plain http://127.0.0.1."""
    return {
        "DJANGO_DEBUG": "0",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        "EMAIL_FILE_PATH": str(OUT / "mail"),
    }


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def with_redis_db(url: str, db: int) -> str:
    """The same Redis server, another database (unix://…?db=N, redis://host/N, redis+socket://
    …?virtual_host=N)."""
    new, found = re.subn(r"((?:db|virtual_host)=|/)\d+$", rf"\g<1>{db}", url)
    return new if found else f"{url}{'&' if '?' in url else '?'}db={db}"


# The load database ---------------------------------------------------------------------------


def _admin(url: str):
    import psycopg

    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def prepare_database(name: str, experts: int) -> None:
    """Create, migrate and fill `name` unless it holds `experts` experts already. A database
    left half-built (an interrupted setup) is dropped and built again."""
    from django.core.management import call_command
    from django.db import connections

    from . import data

    if name == devstack.DB_NAME or name.startswith("test_"):
        raise devstack.StackError(f"{name} is the development or a test database: --database.")
    url = os.environ["DATABASE_URL"]
    marker = f"kotove load test data: {experts} experts"
    with _admin(url) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        if row and row[0] != marker:
            print(f"Dropping {name}: it does not hold {experts:,} experts.")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            row = None
        if row is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    if row is None:
        print(
            f"Building the load data in {name}: {experts:,} experts (takes minutes) …", flush=True
        )
        started = time.monotonic()
        data.build(experts=experts)
        connections.close_all()
        with _admin(url) as conn:
            conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{marker}'")
        print(f"  done in {time.monotonic() - started:.0f} s")
    else:
        print(f"Reusing the load data in {name} ({experts:,} experts).")


# The server ----------------------------------------------------------------------------------


def _stop(process: subprocess.Popen) -> None:
    """TERM the process group (gunicorn's workers too) and wait until all of it has ended;
    KILL what lingers."""
    for signum, seconds in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        deadline = time.monotonic() + seconds
        try:
            os.killpg(process.pid, signum)
            while time.monotonic() < deadline:
                process.poll()  # reap the group's leader
                os.killpg(process.pid, 0)  # raises once no process of the group is left
                time.sleep(0.1)
        except ProcessLookupError:
            break
    process.wait()


@contextmanager
def gunicorn(*, port: int, workers: int, threads: int, env: dict | None = None, log=None):
    """gunicorn serving the site on 127.0.0.1:`port` until the block ends. It takes requests
    once `ready()` says so: its workers first load the lemmatiser (gunicorn.conf.py)."""
    port_free(port)
    command = [
        sys.executable, "-m", "gunicorn", "kotove.wsgi",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--timeout", "30",
        "--log-level", "warning",
        "--no-control-socket",  # its default path is shared by every gunicorn of the user
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=devstack.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT if log else None,
        start_new_session=True,  # stopped as a group by _stop, also after Ctrl-C
    )
    try:
        yield process
    finally:
        _stop(process)


def port_free(port: int) -> None:
    import socket

    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", port)) == 0:
            raise devstack.StackError(
                f"Port {port} is in use; stop what uses it or choose another: --port."
            )


def ready(port: int, process: subprocess.Popen, seconds: float = 120) -> None:
    """Wait until the server answers its health check."""
    url = f"http://127.0.0.1:{port}/healthz"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise devstack.StackError(f"gunicorn stopped (exit status {process.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own 127.0.0.1
                return
        except OSError:
            time.sleep(0.3)
    raise devstack.StackError(f"gunicorn did not answer {url} within {seconds:.0f} s.")


def drive(plan_path: Path, result_path: Path, *, clients, seconds, warmup, think=0.0) -> dict:
    """Run the driver in its own process and return its result."""
    command = [
        sys.executable, "-m", "loadtest.driver", str(plan_path), str(result_path),
        "--clients", str(clients), "--seconds", str(seconds), "--warmup", str(warmup),
        "--think", str(think),
    ]  # fmt: skip
    driver = subprocess.Popen(command, cwd=devstack.BASE_DIR, start_new_session=True)
    try:
        if driver.wait() != 0:
            raise devstack.StackError(f"The driver failed (exit status {driver.returncode}).")
    finally:
        _stop(driver)
    return json.loads(result_path.read_text())


def server_cpu(server: subprocess.Popen) -> float:
    """CPU seconds used so far by gunicorn and PostgreSQL, each with all its processes (those
    that ended included): how much work the requests cost, whatever else runs on the machine."""
    import psutil

    seconds = 0.0
    postmaster = int((devstack.PG_DIR / "postmaster.pid").read_text().split()[0])
    for root in (psutil.Process(server.pid), psutil.Process(postmaster)):
        times = root.cpu_times()
        seconds += times.user + times.system + times.children_user + times.children_system
        for child in root.children(recursive=True):
            try:
                times = child.cpu_times()
            except psutil.NoSuchProcess:
                continue
            seconds += times.user + times.system
    return seconds


# The report ----------------------------------------------------------------------------------


def _ms(value) -> str:
    return "–" if value is None else f"{value:.0f} ms"


def verdict(result: dict, *, answers_in_database: int) -> dict[str, bool]:
    """Each target and whether it was met. The first three are about correctness."""
    pages = result["pages"]
    return {
        "every page type requested": all(row["requests"] for row in pages.values()),
        "zero errors": not any(row["errors"] for row in pages.values()),
        "no feedback answer lost": answers_in_database == result["answers_sent"],
        f"p95 ≤ {TARGET_P95_MS} ms for search and profile": all(
            (pages[page]["p95"] or 0) <= TARGET_P95_MS for page in TARGET_PAGES
        ),
    }


def exit_status(targets: dict[str, bool]) -> int:
    """0: every target met; 1: an error, a lost answer or a page type never requested;
    2: correct, but search or profile pages too slow."""
    correct, fast = list(targets.values())[:3], list(targets.values())[3:]
    return 0 if all(correct) and all(fast) else 1 if not all(correct) else 2


def report(
    result: dict, *, answers_in_database: int, header: str, cpu_seconds: float | None = None
) -> list[str]:
    lines = [header, ""]
    lines.append(
        f"{'page':<16} {'requests':>8} {'req/s':>7} {'p50':>8} {'p95':>8} {'p99':>8} {'errors':>7}"
    )
    total = errors = 0
    for page, row in result["pages"].items():
        total += row["requests"]
        errors += row["errors"]
        lines.append(
            f"{page:<16} {row['requests']:>8} {row['per_second']:>7.1f} {_ms(row['p50']):>8}"
            f" {_ms(row['p95']):>8} {_ms(row['p99']):>8} {row['errors']:>7}"
        )
    lines.append(
        f"{'all':<16} {total:>8} {total / result['seconds']:>7.1f} {'':>8} {'':>8} {'':>8} {errors:>7}"
    )
    lines.extend(f"  error: {example}" for example in result["error_examples"])
    if cpu_seconds is not None:
        per_request = cpu_seconds / max(result["all_requests"], 1) * 1000
        lines.append(
            f"Server CPU per request (gunicorn and PostgreSQL, this mix, warm-up included): "
            f"{per_request:.0f} ms, so an idle machine with {os.cpu_count()} cores serves at most "
            f"about {os.cpu_count() * 1000 / per_request:.0f} requests/s."
        )
    targets = verdict(result, answers_in_database=answers_in_database)
    lines += [
        "",
        f"Feedback answers: {result['answers_sent']} sent, {result['answers_confirmed']} "
        f"confirmed by the site, {answers_in_database} new in the database.",
        "Targets: "
        + "; ".join(f"{name}: {'met' if met else 'NOT MET'}" for name, met in targets.items()),
    ]
    return lines


def load_average() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.1f} (1 min), {five:.1f} (5 min)"


# The command ---------------------------------------------------------------------------------


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--experts", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument(
        "--think", type=float, default=1, help="mean pause between a client's actions (s)"
    )
    parser.add_argument("--port", type=int, default=8010)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--database", default="kotove_load")
    return parser.parse_args(argv)


def run(args) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    devstack.compile_messages()
    os.environ.update(production_env(args.port))
    with devstack.stack():
        # the stack gave the development database and Redis; the load site uses its own
        os.environ["DATABASE_URL"] = with_database(os.environ["DATABASE_URL"], args.database)
        os.environ["REDIS_URL"] = with_redis_db(os.environ["REDIS_URL"], CACHE_DB)
        os.environ["CELERY_BROKER_URL"] = with_redis_db(os.environ["CELERY_BROKER_URL"], BROKER_DB)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotove.settings")
        import django

        django.setup()
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connections

        from . import data

        prepare_database(args.database, args.experts)
        call_command("collectstatic", "--no-input", verbosity=0)
        cache.clear()  # sessions and rate-limit counters of an earlier run
        plan_path, result_path = OUT / "plan.json", OUT / "result.json"
        log_path = OUT / "gunicorn.log"
        print(
            f"Starting gunicorn ({args.workers} workers, {args.threads} thread(s) each) on "
            f"http://127.0.0.1:{args.port}; its log: {log_path}"
        )
        with (
            log_path.open("a") as log,
            gunicorn(port=args.port, workers=args.workers, threads=args.threads, log=log) as server,
        ):
            plan = data.plan(clients=args.clients, base_url=f"http://127.0.0.1:{args.port}")
            plan_path.write_text(json.dumps(plan))
            before = data.feedback_answers()
            connections.close_all()
            ready(args.port, server)
            load_before, cpu_before = load_average(), server_cpu(server)
            print(
                f"Driving {args.clients} clients for {args.warmup:.0f} s warm-up "
                f"+ {args.seconds:.0f} s measured …",
                flush=True,
            )
            result = drive(
                plan_path,
                result_path,
                clients=args.clients,
                seconds=args.seconds,
                warmup=args.warmup,
                think=args.think,
            )
            load_after, cpu_seconds = load_average(), server_cpu(server) - cpu_before
        answers = data.feedback_answers() - before
        connections.close_all()
        header = (
            f"Load test: {args.experts:,} experts, {args.clients} clients "
            f"({'no pause' if not args.think else f'{args.think:g} s mean pause'} between actions), "
            f"{result['seconds']:.1f} s measured after {args.warmup:.0f} s warm-up; gunicorn {args.workers} workers × "
            f"{args.threads} thread(s); {os.cpu_count()} cores.\n"
            f"Load average before: {load_before}; at the end: {load_after}."
        )
        lines = report(result, answers_in_database=answers, header=header, cpu_seconds=cpu_seconds)
        print("\n".join(lines))
        return exit_status(verdict(result, answers_in_database=answers))


def main(argv=None) -> int:
    # Ctrl-C signals the whole foreground group; TERM from outside is handled the same.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return run(parse(argv))
    except devstack.StackError as exc:
        print(f"\n{exc}\n", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nInterrupted: stopped gunicorn and the driver.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
