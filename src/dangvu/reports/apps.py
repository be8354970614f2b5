from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "dangvu.reports"
    label = "reports"
    verbose_name = _("Báo cáo, thống kê")

    def ready(self):
        # Each app declares its figures in `<app>/figures.py`; importing them registers them.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("figures")
