"""The load benchmark (`make load`) at a tiny scale, so that its setup and driver cannot rot:
the demo network with 40 experts, gunicorn, and the driver's whole mix for a few seconds.
Timings are not asserted; the counts are."""

import json
import os
import socket
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

from loadtest import data, run
from palaute.models import Response
from pankki.models import Expert


@pytest.fixture
def migrated_data(transactional_db):
    """The server in another process sees only committed rows, and the flush that ends such a
    test (or an earlier one in this process) takes what the migrations loaded: run the
    project's data migrations again (each is idempotent)."""
    loader = MigrationLoader(connection)
    seen = set()
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key in seen or Path(apps.get_app_config(key[0]).path).parent != settings.BASE_DIR:
                continue
            seen.add(key)
            for operation in loader.graph.nodes[key].operations:
                if isinstance(operation, RunPython):
                    operation.code(apps, None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_load_run_drives_every_page_type_without_errors_or_lost_answers(migrated_data, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": run.with_database(
            os.environ["DATABASE_URL"], connection.settings_dict["NAME"]
        ),
        "REDIS_URL": settings.CACHES["default"]["LOCATION"],
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    plan_path, result_path = tmp_path / "plan.json", tmp_path / "result.json"
    # the server's worker loads the lemmatiser while the data is built
    with run.gunicorn(port=port, workers=1, threads=2, env=env) as server:
        data.build(experts=40)
        plan = data.plan(clients=2, base_url=f"http://127.0.0.1:{port}")
        plan_path.write_text(json.dumps(plan))
        answers_before = Response.objects.count()
        presentations_before = dict(Expert.objects.values_list("pk", "presentation_fi"))
        run.ready(port, server)
        result = run.drive(plan_path, result_path, clients=2, seconds=3, warmup=0)

    assert 40 <= Expert.objects.count() < 100  # scaled down from the demo's 600
    assert len(plan["orderers"]) == len(plan["contacts"]) == 2
    pages = result["pages"]
    assert result["error_examples"] == []
    assert {page: row["errors"] for page, row in pages.items()} == dict.fromkeys(pages, 0)
    # each kind of action ran at least once: its pages were requested and timed
    assert all(row["requests"] > 0 and row["p95"] is not None for row in pages.values()), pages
    new_answers = Response.objects.count() - answers_before
    assert result["answers_confirmed"] == result["answers_sent"] == new_answers > 0
    edited = [
        pk
        for pk, text in Expert.objects.values_list("pk", "presentation_fi")
        if text != presentations_before[pk]
    ]
    assert edited and set(edited) <= {pk for c in plan["contacts"] for pk in c["records"]}
    targets = run.verdict(result, answers_in_database=new_answers)
    assert list(targets.values())[:3] == [True, True, True]
    assert run.exit_status(targets) in (0, 2)
    lines = run.report(result, answers_in_database=new_answers, header="smoke")
    assert [line.split()[0] for line in lines[3:10]] == ["search", "profile", "record"] + [
        "record",
        "feedback",
        "feedback",
        "feedback",
    ]
