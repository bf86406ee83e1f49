from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet, Window
from django.db.models.query import ModelIterable
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from coproduction.numbers import counts_from_one

TOTAL = "_paginator_total"
# OFFSET is a signed 64-bit number in PostgreSQL and SQLite.
MAX_OFFSET = 2**63 - 1


class WindowCountPaginator(Paginator):
    """A page and the list's total in one query: `COUNT(*) OVER ()` beside the page's rows.

    Django's paginator counts in a query of its own first; a partner's list call then
    runs the (scoped) query twice. Lists the window cannot count (DISTINCT, grouped or
    combined queries) are counted as Django counts them.
    """

    def page(self, number):
        if not self._counts_in_window():
            return super().page(number)
        number = self._whole(number)
        bottom = (number - 1) * self.per_page
        if bottom + self.per_page > MAX_OFFSET:
            # Beyond what a database's OFFSET takes: certainly past the end, as the count
            # will say.
            return super().page(number)
        counted = self.object_list.annotate(**{TOTAL: Window(Count("*"))})
        rows = list(counted[bottom : bottom + self.per_page])
        if rows:
            self.__dict__["count"] = getattr(rows[0], TOTAL)
        elif number == 1 and self.allow_empty_first_page:
            self.__dict__["count"] = 0
        else:
            raise EmptyPage(self.error_messages["no_results"])
        return self._get_page(rows, number, self)

    def _whole(self, number) -> int:
        """Django's checks of a page number, short of comparing it with the count."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def _counts_in_window(self) -> bool:
        qs = self.object_list
        if not isinstance(qs, QuerySet) or qs._iterable_class is not ModelIterable:
            return False
        query = qs.query
        return not (
            self.orphans
            or query.distinct
            or query.group_by is not None
            or query.combinator
            or query.is_sliced
        )


class ApiPageNumberPagination(PageNumberPagination):
    """Numbered pages of 50 by default; `page_size` up to 200 (more is capped).

    A `page_size` that is not a whole number from 1 is a 400, not silently the default.
    """

    django_paginator_class = WindowCountPaginator
    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = "Results per page, from 1; more than 200 gives 200."
    max_page_size = 200

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not counts_from_one(raw):
            raise ValidationError(
                {self.page_size_query_param: ["Give a whole number of results per page, from 1."]}
            )
        digits = raw.lstrip("0")
        if len(digits) > len(str(self.max_page_size)):
            return self.max_page_size
        return min(int(digits), self.max_page_size)

    def get_page_number(self, request, paginator):
        """A page that is not a whole number from 1 (nor `last`) is a 400 naming `page`,
        as any other malformed parameter is; a whole number past the last page is 404."""
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw in self.last_page_strings:
            return super().get_page_number(request, paginator)
        if not counts_from_one(raw):
            raise ValidationError(
                {self.page_query_param: ["Give a whole page number, from 1, or last."]}
            )
        return raw

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters
