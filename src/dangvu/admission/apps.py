from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionConfig(AppConfig):
    name = "dangvu.admission"
    label = "admission"
    verbose_name = _("Phát triển đảng viên")
