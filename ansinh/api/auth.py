"""API authentication: `Authorization: Bearer <token>`, or the browser's session."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from ansinh.accounts.models import ApiToken, TokenState, hash_token
from ansinh.accounts.services import token_touch


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid Authorization header: expected 'Bearer <token>'.")
        secret = header[1].decode(errors="replace")
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(secret)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token, or its user is deactivated."))
        now = timezone.now()
        state = token.state(now)
        if state == TokenState.REVOKED:
            raise exceptions.AuthenticationFailed(_("This token was revoked: ask for a new one."))
        if state == TokenState.EXPIRED:
            raise exceptions.AuthenticationFailed(
                _("This token expired on %(date)s: ask for a new one.")
                % {"date": formats.date_format(timezone.localtime(token.expires_at), "SHORT_DATETIME_FORMAT")})
        if token.user.is_demo and not settings.DEMO:
            raise exceptions.AuthenticationFailed(_("Demo users work only in demo mode."))
        token_touch(token, now=now)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, with CSRF checks on unsafe methods (as DRF does)."""


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "ansinh.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "ansinh.api.auth.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
