from rest_framework.pagination import PageNumberPagination


class ApiPageNumberPagination(PageNumberPagination):
    """Numbered pages of 50 by default; `page_size` up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = "Results per page, at most 200."
    max_page_size = 200
