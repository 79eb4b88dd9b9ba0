"""The API's pages: DRF's page-number pagination, where `page` is checked like every other
integer parameter (an empty or repeated `page` was silently read as page 1)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from ansinh.web.shortcuts import parse_int

from .params import typed_value


class Pagination(PageNumberPagination):
    def get_page_number(self, request: Request, paginator: Any) -> Any:
        value = typed_value(request, self.page_query_param)
        if value is None:
            return 1
        if value in self.last_page_strings:
            return paginator.num_pages
        if parse_int(value) is None:
            raise ValidationError({self.page_query_param: [_("Expected a whole number.")]})
        return value  # a number past the last page is a 404, as in DRF
