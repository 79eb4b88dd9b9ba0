"""Production checks in settings: ANSINH_TESTING never weakens one (issue 10, item 9)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import ansinh

SETUP = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
SERVER = "import django; django.setup(); from ansinh.settings import require_production_secrets; " \
         "require_production_secrets(); print('started')"


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -c CODE` with the real settings module and only the ANSINH_ variables given."""
    clean = {key: value for key, value in os.environ.items()
             if not key.startswith("ANSINH_") and key != "DJANGO_SETTINGS_MODULE"}
    clean.update(DJANGO_SETTINGS_MODULE="ansinh.settings", ANSINH_DATABASE_URL="sqlite:///:memory:", **env)
    return subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=120,
                          cwd=Path(ansinh.__file__).parent.parent)


def test_it_refuses_to_start_without_a_secret_even_when_testing() -> None:
    found = _run(SETUP, ANSINH_TESTING="1")
    assert found.returncode != 0
    assert "ImproperlyConfigured" in found.stderr and "ANSINH_SECRET_KEY is required" in found.stderr


def test_it_keeps_production_settings_when_testing_with_a_secret() -> None:
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.WHITENOISE_USE_FINDERS, "
            "s.STORAGES['staticfiles']['BACKEND'])")
    found = _run(code, ANSINH_TESTING="1", ANSINH_SECRET_KEY="x" * 50)
    assert found.returncode == 0, found.stderr
    assert found.stdout.split() == ["False", "[]", "True", "False",
                                    "whitenoise.storage.CompressedManifestStaticFilesStorage"]


def test_it_refuses_to_serve_without_host_names_even_when_testing() -> None:
    found = _run(SERVER, ANSINH_TESTING="1", ANSINH_SECRET_KEY="x" * 50)
    assert found.returncode != 0 and "ANSINH_ALLOWED_HOSTS is required" in found.stderr
    found = _run(SERVER, ANSINH_TESTING="1", ANSINH_SECRET_KEY="x" * 50, ANSINH_ALLOWED_HOSTS="ansinh.example.vn")
    assert found.returncode == 0 and found.stdout.strip() == "started", found.stderr


def test_it_starts_in_development_without_a_secret() -> None:
    found = _run(SERVER, ANSINH_DEBUG="1")
    assert found.returncode == 0 and found.stdout.strip() == "started", found.stderr
