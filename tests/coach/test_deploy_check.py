"""Production settings (DEBUG=0) pass Django's deployment checklist with no warning."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "coach.example.com",
    "DATABASE_URL": "postgres://coach:secret@db.example.com:5432/coach",
    "REDIS_URL": "redis://redis.example.com:6379/0",
}


def manage(*args, **env):
    """manage.py in a clean environment: nothing the test session sets (such as the browser
    tests' DJANGO_ALLOW_ASYNC_UNSAFE) leaks into what production would see."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(settings.BASE_DIR),
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "coach.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION_ENV, "SECRET_KEY": ""})

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
