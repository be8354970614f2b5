from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dangvu.api.base import ModelSerializer, Serializer

from ..forms import RULE_UNITS
from ..models import Holiday, Rule


class RuleSerializer(ModelSerializer):
    unit_label = serializers.SerializerMethodField(help_text=_("Đơn vị đọc bằng chữ."))
    in_force = serializers.SerializerMethodField(help_text=_("Đang có hiệu lực hôm nay."))

    class Meta:
        model = Rule
        fields = [
            "id",
            "key",
            "value",
            "unit",
            "unit_label",
            "title",
            "source",
            "effective_from",
            "effective_to",
            "in_force",
            "verified",
            "note",
        ]
        read_only_fields = fields

    def get_unit_label(self, obj) -> str:
        return str(RULE_UNITS.get(obj.unit, obj.unit))

    def get_in_force(self, obj) -> bool:
        today = timezone.localdate()
        return obj.effective_from <= today and (
            obj.effective_to is None or obj.effective_to > today
        )


class RuleAddSerializer(Serializer):
    """A new dated value of an existing rule; the value in force on that date ends there."""

    key = serializers.CharField(
        label=_("Mã quy tắc"), max_length=100, help_text=_("Mã của một quy tắc đã có.")
    )
    value = serializers.CharField(
        label=_("Giá trị mới"),
        max_length=200,
        help_text=_("Theo đơn vị của quy tắc (số, phân số như 2/3, danh sách cách nhau dấu phẩy)."),
    )
    effective_from = serializers.DateField(label=_("Hiệu lực từ ngày"))
    source = serializers.CharField(label=_("Văn bản nguồn"), max_length=300)
    verified = serializers.BooleanField(
        label=_("Đã đối chiếu văn bản gốc"), required=False, default=False
    )
    note = serializers.CharField(label=_("Ghi chú"), required=False, allow_blank=True, default="")


class RuleUpdateSerializer(ModelSerializer):
    """Correct one dated row in place (a typo, the source, the verification mark)."""

    class Meta:
        model = Rule
        fields = ["value", "title", "source", "verified", "note"]


class HolidaySerializer(ModelSerializer):
    class Meta:
        model = Holiday
        fields = ["id", "date", "name", "is_day_off", "basis"]
