"""The API's pages: DRF's page-number pagination, where `page` is checked like every other
integer parameter (an empty or repeated `page` was silently read as page 1), and the client
chooses the page's size with `page_size` (1 to 500; 100 when left out).

A `page_size` that is not a whole number from 1 to `MAX_PAGE_SIZE` is refused (400, saying the
range) rather than clamped or ignored as DRF does: a client that asks for 5,000 rows and silently
gets 500 would count wrong."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from ansinh.web.shortcuts import parse_int

from .params import typed_value

MAX_PAGE_SIZE = 500


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        value = typed_value(request, self.page_query_param)
        if value is None:
            return 1
        if value in self.last_page_strings:
            return paginator.num_pages
        if parse_int(value) is None:
            raise ValidationError({self.page_query_param: [_("Expected a whole number.")]})
        return value  # a number past the last page is a 404, as in DRF

    def get_page_size(self, request: Request) -> int | None:
        value = typed_value(request, "page_size")
        if value is None:
            return self.page_size
        size = parse_int(value, low=1, high=MAX_PAGE_SIZE)
        if size is None:
            raise ValidationError({"page_size": [
                _("Give a whole number of rows per page from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}]})
        return size

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == "page_size":
                parameter["description"] = f"Rows per page: 1 to {MAX_PAGE_SIZE} (default {self.page_size})."
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}
        return parameters
