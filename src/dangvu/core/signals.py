from django.db.models.signals import post_migrate
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from . import audit


@receiver(pre_create_historical_record)
def fill_audit_columns(sender, instance, history_instance, history_user, **kwargs):
    ctx = audit.current()
    request = getattr(getattr(sender, "context", None), "request", None)
    if request is None:
        from simple_history.models import HistoricalRecords

        request = getattr(HistoricalRecords.context, "request", None)
    ip = (ctx.ip if ctx else None) or (audit.client_ip(request) if request is not None else None)
    source = ctx.source if ctx else ("ui" if request is not None else "command")
    if hasattr(history_instance, "ip_address"):
        history_instance.ip_address = ip
        # A tracked model with a field of its own called "source" (Rule: the document) keeps it;
        # its history rows do not record the channel.
        if not _own_source(type(instance)):
            history_instance.source = source


def _own_source(model) -> bool:
    try:
        model._meta.get_field("source")
    except Exception:
        return False
    return True


@receiver(post_migrate)
def seed_rulebook(sender, app_config=None, using="default", **kwargs):
    if app_config is None or app_config.label != "core":
        return
    from .rulebook import sync_rulebook
    from .workdays import seed_current_years

    sync_rulebook(using=using)
    if using == "default":
        seed_current_years()


def reseed_after_flush(app_label: str, migration: str, function: str):
    """Run a data migration's (idempotent) seeding function again on post_migrate: Django emits
    post_migrate after a flush too (transactional tests, `manage.py flush`), and the default rows a
    data migration added (agenda and checklist templates, the congress checklist) would otherwise
    stay missing for the tests that run next."""
    from importlib import import_module

    def handler(sender, app_config=None, using="default", **kwargs):
        if app_config is None or app_config.label != app_label:
            return
        from django.apps import apps
        from django.db import connections

        class _Editor:
            connection = connections[using]

        seed = getattr(import_module(f"dangvu.{app_label}.migrations.{migration}"), function)
        seed(apps, _Editor())

    post_migrate.connect(handler, weak=False, dispatch_uid=f"reseed-{app_label}-{migration}")
