from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


class ApiPageNumberPagination(PageNumberPagination):
    """Numbered pages of 50 by default; `page_size` up to 200 (more is capped).

    A `page_size` that is not a whole number from 1 is a 400, not silently the default.
    """

    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = "Results per page, from 1; more than 200 gives 200."
    max_page_size = 200

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise ValidationError(
                {self.page_size_query_param: ["Give a whole number of results per page, from 1."]}
            )
        return min(int(raw), self.max_page_size)

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise NotFound(self.invalid_page_message.format(page_number="", message=""))
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters
