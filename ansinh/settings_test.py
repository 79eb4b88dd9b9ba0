"""The settings the test runner and the type checker load (pytest's and django-stubs'
DJANGO_SETTINGS_MODULE): the one settings module, with development settings asked for
explicitly. `ansinh/settings.py` relaxes nothing for ANSINH_TESTING, so a process that sets it
without ANSINH_DEBUG is still checked as production; only this module, named by pytest and
mypy and never by a server, turns debug on and gives a throwaway secret key."""

import os

os.environ.setdefault("ANSINH_TESTING", "1")
os.environ.setdefault("ANSINH_DEBUG", "1")
os.environ.setdefault("ANSINH_SECRET_KEY", "insecure-test-key-do-not-use-in-production")

from ansinh.settings import *  # noqa: E402, F403
