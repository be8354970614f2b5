from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "dangvu.committees"
    label = "committees"
    verbose_name = _("Cấp ủy, nhiệm kỳ, đại hội")

    def ready(self):
        from dangvu.core.signals import reseed_after_flush

        reseed_after_flush("committees", "0002_default_checklist", "seed")
