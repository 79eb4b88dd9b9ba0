from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class VietnameseFirstMiddleware:
    """Vietnamese unless the user chose another language (the language cookie).

    Many office computers run an English browser; the browser's Accept-Language must not turn
    a Vietnamese system into an English one. Runs before LocaleMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RefuseNulMiddleware:
    """Refuses (400) a query string or form field holding a NUL character: no text column can
    store one on PostgreSQL, so it would reach the database only to fail there (a 500), and no
    person types one. Checked before any view runs, for the pages and the API alike."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return self.refuse(request)
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                 "multipart/form-data"):
            try:
                fields = request.POST
            except Exception:  # noqa: BLE001 — a malformed body is Django's to answer, as before
                return self.get_response(request)
            if any("\x00" in key or any("\x00" in value for value in fields.getlist(key)) for key in fields):
                return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        """400 in the API's own shape under /api/ (JSON, as its schema says), plain text elsewhere."""
        message = _("The request holds a character no text may hold (NUL).")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message)
