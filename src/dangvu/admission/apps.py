from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionConfig(AppConfig):
    name = "dangvu.admission"
    label = "admission"
    verbose_name = _("Phát triển đảng viên")

    def ready(self):
        # Names of this app's choice sets in the OpenAPI schema ("kind" and "status" are used by
        # other apps too: without a name drf-spectacular warns about the collision). The lead is
        # asked to move these into settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].
        from django.conf import settings

        overrides = getattr(settings, "SPECTACULAR_SETTINGS", {}).setdefault(
            "ENUM_NAME_OVERRIDES", {}
        )
        for name, path in ENUM_NAMES.items():
            overrides.setdefault(name, path)


ENUM_NAMES = {
    "AdmissionStepKindEnum": "dangvu.admission.choices.StepKind",
    "CandidateStatusEnum": "dangvu.admission.choices.CandidateStatus",
    "IntroducerKindEnum": "dangvu.admission.choices.IntroducerKind",
}
