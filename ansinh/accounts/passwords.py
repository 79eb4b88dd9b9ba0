"""Password rules beyond Django's own validators (settings.AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

import secrets
import string
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The password `ansinh demo setup` gives every demo user: printed on screen and in the README,
# so it must never protect a real account.
DEMO_PASSWORD = "ansinh-demo-2026"

# Letters and digits a person can read back from the screen without confusing them (no 0/O, 1/l/I).
_READABLE = "".join(ch for ch in string.ascii_letters + string.digits if ch not in "0O1lI")


class NotDemoPasswordValidator:
    """Refuses the demo password, except for demo users created in demo mode (ANSINH_DEMO=1),
    which may log in only in that mode anyway (see backends.ModelBackend)."""

    def validate(self, password: str, user: Any = None) -> None:
        if password.strip().casefold() != DEMO_PASSWORD.casefold():
            return
        if settings.DEMO and getattr(user, "is_demo", False):
            return
        raise ValidationError(
            _("This is the demo password, which everybody can read: choose another one."),
            code="password_is_demo",
        )

    def get_help_text(self) -> str:
        return _("Your password can't be the demo password.")


def generate_password(length: int = 16) -> str:
    """A random password, shown once to the person who made it: 16 readable characters in groups
    of four ("abcd-efgh-…"), which passes every validator."""
    chars = "".join(secrets.choice(_READABLE) for _ in range(length))
    return "-".join(chars[i:i + 4] for i in range(0, length, 4))
