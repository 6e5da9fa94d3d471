"""Cursor pagination for every list: stable under inserts, no COUNT query, and a total order.

Each view names its ordering (``cursor_ordering``); the last key is always the primary key, so no two rows
tie and a page boundary is never ambiguous.

A cursor is the client's to send back unchanged, but nothing stops a client from writing its own. DRF checks
that it decodes; the position inside it (``p=``) goes into the query as it is, so a position that is not a
value of the ordering's first field (``p=notadate`` on a date, a number past 64 bits, a NUL) raised a 500
from the database or the field. Any such cursor is DRF's own "Invalid cursor" 404, like one that does not
decode.
"""

from django.core.exceptions import ValidationError
from django.db import DataError
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.pagination import CursorPagination


class CursorPage(CursorPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        # DRF falls back to the default for ``page_size=garbage`` or 0; a client that asked for something it
        # cannot have should hear so.
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not (value.isascii() and value.isdigit() and int(value) >= 1):
            raise APIValidationError({self.page_size_query_param: [
                f"A whole number from 1 to {self.max_page_size}."]})
        return min(int(value), self.max_page_size)  # past the most, the most (documented)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1  # 0 and negatives are refused; past the most, the most
                parameter["description"] = (f"Results per page, 1 or more (up to {self.max_page_size}; more "
                                            f"gives {self.max_page_size}).")
        return parameters

    def get_ordering(self, request, queryset, view):
        return tuple(view.cursor_ordering)

    def paginate_queryset(self, queryset, request, view=None):
        try:
            # Requests run in autocommit (no ATOMIC_REQUESTS), so PostgreSQL's refusal spoils no transaction.
            return super().paginate_queryset(queryset, request, view)
        except (ValidationError, ValueError, TypeError, OverflowError, DataError):
            raise NotFound(self.invalid_cursor_message) from None
