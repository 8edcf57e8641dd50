import os
import secrets
import subprocess
import sys

from django.conf import settings

DEV_ONLY = {
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_DEBUG",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECRET_KEY_FILE",
    "EMAIL_FILE_PATH",
}


def test_check_deploy_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in DEV_ONLY}
    env.update(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="kokemuspankki.fi")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
