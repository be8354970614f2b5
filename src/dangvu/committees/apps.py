from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed(sender, app_config=None, using="default", **kwargs):
    if app_config is None or app_config.label != "committees":
        return
    from .rules import seed_extra_rules

    seed_extra_rules(using=using)


class CommitteesConfig(AppConfig):
    name = "dangvu.committees"
    label = "committees"
    verbose_name = _("Cấp ủy, nhiệm kỳ, đại hội")

    def ready(self):
        post_migrate.connect(_seed, sender=self, dispatch_uid="committees_seed_rules")
        from django.conf import settings

        from .choices import ENUM_NAMES

        overrides = settings.SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})
        for name, path in ENUM_NAMES.items():
            overrides.setdefault(name, path)
