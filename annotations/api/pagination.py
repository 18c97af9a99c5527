from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from ..parsing import whole_number


class Pagination(PageNumberPagination):
    """`?page=` and `?page_size=` (1 to 1,000), as the contract says; a page_size outside that is a 400, not
    quietly replaced by another size."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request) -> int:
        asked = request.query_params.get(self.page_size_query_param)
        if asked is None:
            return self.page_size
        size = whole_number(asked.strip(), maximum=self.max_page_size)
        if not size:
            raise ValidationError(
                {self.page_size_query_param: [f"Give page_size as a whole number from 1 to {self.max_page_size}."]}
            )
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
            elif parameter["name"] == self.page_query_param:
                parameter["schema"] |= {"minimum": 1}
        return parameters
