from django.core.paginator import InvalidPage
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from dangvu.core.viewmixins import CappedPaginator


class StandardPagination(PageNumberPagination):
    """Pages of 50; `count` stops at 10,000, and at 1,000 for a member search (`count_capped: true`
    past it), so listing a page of a national table never costs a count of the whole table."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CappedPaginator

    def paginate_lazily(self, queryset, request, view=None):
        """`paginate_queryset` without fetching the page: its rows as the queryset slice (None when
        not paginated), so that a list may fetch only the columns it writes."""
        self.request = request
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        paginator = self.django_paginator_class(queryset, page_size)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            msg = self.invalid_page_message.format(page_number=page_number, message=str(exc))
            raise NotFound(msg) from exc
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        return self.page.object_list

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
            "description": "true khi có hơn 10.000 dòng: `count` dừng ở 10.000 (tìm đảng viên "
            "theo `q`: dừng ở 1.000, và khi đó danh sách theo thứ tự lưu trữ, không theo tên)",
        }
        out["required"] = [*out.get("required", []), "count_capped"]
        return out
