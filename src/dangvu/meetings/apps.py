from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "dangvu.meetings"
    label = "meetings"
    verbose_name = _("Sinh hoạt chi bộ")

    def ready(self):
        from dangvu.core.signals import reseed_after_flush

        reseed_after_flush("meetings", "0002_default_templates", "add_templates")
