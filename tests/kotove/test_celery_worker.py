"""One real Celery worker against the embedded Redis: an email queued on commit is sent."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection, transaction

from kotove.celery import app as celery_app
from kotove.emails import queue_email
from kotove.models import OutboundEmail


@pytest.fixture
def worker(tmp_path):
    url = urlsplit(os.environ["DATABASE_URL"])
    env = {
        **os.environ,
        "DATABASE_URL": urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"])),
        "EMAIL_FILE_PATH": str(tmp_path),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kotove",
            "worker",
            "--pool",
            "solo",
            "-l",
            "warning",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    yield tmp_path
    process.terminate()
    process.wait(timeout=20)


@pytest.mark.django_db(transaction=True)
def test_worker_sends_an_email_from_the_outbox(worker, monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    with transaction.atomic():
        email = queue_email(
            key="worker-test",
            to="vastaanottaja@example.fi",
            template="kotove/email/access_request_declined",
            context={"access_request": {"name": "Vera", "decision_note": ""}},
            language="fi",
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.status == OutboundEmail.Status.SENT:
            break
        time.sleep(0.25)
    assert email.status == OutboundEmail.Status.SENT
    sent = "".join(path.read_text() for path in Path(worker).iterdir())
    assert "To: vastaanottaja@example.fi" in sent
    assert "Hello Vera" in sent or "Hei Vera" in sent
