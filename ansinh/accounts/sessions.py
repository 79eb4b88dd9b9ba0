"""Sessions that end after the idle time without a write on every page view.

Django's way (`SESSION_SAVE_EVERY_REQUEST`) rewrote the session row on every request to push its
expiry forward: one write per page for every officer, in the same database as the register. Here
a session is written only when it changes, and the idle expiry is kept by a timestamp in it:

1. A logged-in session stores when it was last seen (`SEEN`, whole seconds).
2. A request more than the refresh interval (a tenth of the idle time, at most five minutes)
   after it writes the new time, and with it the row's and the cookie's expiry.
3. A request more than the idle time after it logs the user out (server-side, whatever the
   cookie says) and tells her why on the login page.
4. A response that writes the session anyway (login, a message) records the time for free.

The idle time is measured from the last recorded request, recorded to within the refresh
interval: a session ends between `idle - refresh` and `idle` after the last request, never later.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SEEN = "_ansinh_seen"


def idle_seconds() -> int:
    """The idle time after which a session ends (`ANSINH_SESSION_IDLE_MINUTES`)."""
    return int(settings.SESSION_COOKIE_AGE)


def refresh_seconds() -> int:
    """How stale the recorded time may get before a request writes it again."""
    return max(1, min(300, idle_seconds() // 10))


class IdleSessionMiddleware:
    """After SessionMiddleware, AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        now = int(time.time())
        # No session cookie, no session to keep (and no query to find that out): the API's
        # token requests, the login page's first view.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and session.get(SESSION_KEY):
            seen = session.get(SEEN)
            if isinstance(seen, int) and now - seen >= idle_seconds():
                logout(request)  # flushes the session: the view sees an anonymous user
                messages.info(request, _("Your session ended after %(minutes)d minutes without activity: "
                                         "please log in again.") % {"minutes": idle_seconds() // 60})
            elif not isinstance(seen, int) or now - seen >= refresh_seconds():
                session[SEEN] = now
        response = self.get_response(request)
        if session.modified and session.get(SESSION_KEY):
            session[SEEN] = now  # written anyway (a login, a message): the time comes for free
        return response
