"""Cursor pagination for every list: stable under inserts, no COUNT query, and a total order.

Each view names its ordering (``cursor_ordering``); the last key is always the primary key, so no two rows
tie and a page boundary is never ambiguous.
"""

from rest_framework.pagination import CursorPagination


class CursorPage(CursorPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_ordering(self, request, queryset, view):
        return tuple(view.cursor_ordering)
