from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dangvu.core"
    label = "core"
    verbose_name = _("Nền tảng")

    def ready(self):
        from . import signals  # noqa: F401
