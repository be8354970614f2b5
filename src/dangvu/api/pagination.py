from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from dangvu.core.viewmixins import CappedPaginator


class StandardPagination(PageNumberPagination):
    """Pages of 50; `count` stops at 10,000 (`count_capped: true` past it), so listing a page of a
    national table never costs a count of the whole table."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_capped": self.page.paginator.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "true khi có hơn 10.000 dòng: `count` dừng ở 10.000",
        }
        out["required"] = [*out.get("required", []), "count_capped"]
        return out
