from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataioConfig(AppConfig):
    name = "dangvu.dataio"
    label = "dataio"
    verbose_name = _("Nhập, xuất dữ liệu")
