"""Badges over the API: awarded badges (list, read, record) and the due list of an occasion.

Recording checks the rules of the rulebook (`badges.services`); nothing is deleted (405). The due
list comes a page at a time, as on the due page (`badges.views._due_context`): nationally about
100,000 members are due at an occasion, and building the whole list takes about 22 s."""

from django.core.paginator import InvalidPage, Paginator
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import filters, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from dangvu.api.base import ScopedViewSetMixin, service_errors
from dangvu.organizations.models import Organization

from .. import services
from ..filtersets import BadgeAwardFilterSet
from ..models import BadgeAward
from ..policy import badge_rules, next_occasion
from ..selectors import (
    AWARDED_SHOWN,
    DueRows,
    due_counts,
    due_page_list,
    hide_discipline_details,
    whole_tree_or,
)
from ..views import PER_PAGE
from .serializers import (
    BadgeAwardCreateSerializer,
    BadgeAwardSerializer,
    DueListSerializer,
    DueQuerySerializer,
)

TAG = ["badges"]


@extend_schema_view(
    list=extend_schema(
        summary=_("Huy hiệu Đảng đã trao trong phạm vi"),
        description=_("Lọc theo tổ chức (cả cấp dưới), đảng viên, mốc, dịp trao, trường hợp."),
        tags=TAG,
    ),
    retrieve=extend_schema(summary=_("Một Huy hiệu đã trao"), tags=TAG),
)
class BadgeAwardViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Huy hiệu Đảng: đã trao cho ai, mốc nào, dịp nào, theo quyết định nào; danh sách đến mốc
    ở một dịp trao (`due`). Không sửa, không xóa (405)."""

    queryset = BadgeAward.objects.select_related("member__organization")
    serializer_class = BadgeAwardSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = BadgeAwardFilterSet
    ordering_fields = ["occasion", "tier", "id"]
    ordering = ["-occasion", "tier", "id"]

    @extend_schema(
        request=BadgeAwardCreateSerializer,
        responses={201: BadgeAwardSerializer},
        summary=_("Ghi một Huy hiệu đã trao"),
        description=_(
            "Kiểm tra theo sổ quy tắc: mốc hợp lệ; đủ tuổi đảng đến dịp trao (không kể thời gian "
            "ra khỏi Đảng) hoặc xét sớm/truy tặng trong giới hạn; chưa được tặng mốc này; không "
            "bị hoãn xét do kỷ luật."
        ),
        tags=TAG,
    )
    def create(self, request, *args, **kwargs):
        ser = BadgeAwardCreateSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        with service_errors():
            award = services.badge_award_create(actor=request.user, **ser.validated_data)
        return Response(
            BadgeAwardSerializer(self.queryset.get(pk=award.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("occasion", str, description=_("Dịp trao, YYYY-MM-DD.")),
            OpenApiParameter("organization", int, description=_("Mã tổ chức (cả cấp dưới).")),
            OpenApiParameter("since", str, description=_("Đến mốc sau ngày (YYYY-MM-DD).")),
            OpenApiParameter(
                "page",
                {"type": "integer", "minimum": 1},
                default=1,
                description=format_lazy(
                    _("Trang của danh sách đến mốc, từ 1 (mặc định 1); mỗi trang {n} người."),
                    n=PER_PAGE,
                ),
            ),
        ],
        responses={
            200: DueListSerializer,
            400: OpenApiResponse(
                description=_("Tham số sai (dịp trao, ngày, mã tổ chức, trang): nêu tên tham số.")
            ),
            404: OpenApiResponse(
                description=_("Tổ chức ngoài phạm vi (hoặc không có), hoặc trang quá số trang.")
            ),
        },
        summary=_("Danh sách đến mốc tặng Huy hiệu ở một dịp trao"),
        description=format_lazy(
            _(
                "Đảng viên trong phạm vi đạt mốc tuổi đảng (không kể thời gian ra khỏi Đảng) "
                "đến dịp trao, kể cả xét sớm (bệnh nặng, có đề nghị) và truy tặng; kèm người "
                "hoãn hoặc không xét do kỷ luật và người đã được tặng, có lý do và căn cứ. Chia "
                "trang như trang web: `due` chỉ gồm {n} người của trang `page` (theo mốc, tổ "
                "chức, tên), `count` là tổng số người đến mốc, `pages` số trang, `tiers` số người "
                "theo từng mốc; `held` gồm mọi người hoãn hoặc không xét, `awarded` {shown} người "
                "đầu tiên đã được tặng (`held_count`, `awarded_count`: tổng số). Trang quá số "
                "trang: 404, như các danh sách khác của API; danh sách rỗng vẫn có trang 1."
            ),
            n=PER_PAGE,
            shown=AWARDED_SHOWN,
        ),
        tags=TAG,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def due(self, request):
        query = DueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        today = timezone.localdate()
        occasion = params.get("occasion") or next_occasion(today, badge_rules(today).month_days())
        orgs = Organization.objects.restrict(request.user, "view", module="badges")
        if params.get("organization") is not None:
            org = get_object_or_404(orgs, pk=params["organization"])
            orgs = orgs.filter(path__startswith=org.path)
        else:  # the whole tree needs no organisation filter (nationally 300,000 of them)
            orgs = whole_tree_or(request.user, orgs)
        counts = due_counts(orgs, occasion, since=params.get("since"))
        paginator = Paginator(DueRows(counts), PER_PAGE)
        try:
            page = paginator.page(params["page"])
        except InvalidPage as exc:
            raise NotFound(
                _("Không có trang %(page)s (tham số page): danh sách có %(pages)s trang.")
                % {"page": params["page"], "pages": paginator.num_pages}
            ) from exc
        due = hide_discipline_details(due_page_list(counts, page.object_list), request.user)
        data = {
            "occasion": due.occasion,
            "since": due.since,
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "tiers": [{"tier": t, "count": n} for t, n in counts.tier_counts()],
            "due": due.due,
            "held_count": counts.held,
            "held": due.held,
            "awarded_count": counts.awarded,
            "awarded": due.awarded,
        }
        return Response(DueListSerializer(data).data)
