"""Settings read from the environment so one codebase serves `make run`, tests and production.

Production: set DJANGO_SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL; DEBUG is off unless DEBUG=1.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("DANGVU_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


TESTING = bool(os.environ.get("DANGVU_TESTING")) or "pytest" in sys.modules
DEBUG = env_bool("DEBUG", False)
# Demo mode: demo accounts exist and may skip the second factor. Never on in production.
DEMO_MODE = env_bool("DANGVU_DEMO", False) and DEBUG

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING or os.environ.get("DANGVU_OFFLINE_COMMAND"):
        SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
    else:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "Đặt biến môi trường DJANGO_SECRET_KEY trước khi chạy ở chế độ production."
        )

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # trigram lookups on PostgreSQL; inert on SQLite
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "treebeard",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "dangvu.core",
    "dangvu.accounts",
    "dangvu.organizations",
    "dangvu.members",
    "dangvu.dataio",
    "dangvu.meetings",
    "dangvu.committees",
    "dangvu.discipline",
    "dangvu.admission",
    "dangvu.badges",
    "dangvu.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "dangvu.accounts.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "dangvu.core.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dangvu.urls"
WSGI_APPLICATION = "dangvu.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dangvu.core.context_processors.navigation",
            ],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: it compiled every query estimated above jit_above_cost (the capped search counts,
    # the whole-tree groupings) for 0.4-0.5 s, more than most of them then ran; measured on
    # the national dataset: search p50 2.6 -> 1.5 s (docs/performance.md, session 4).
    # work_mem 32 MB: the bitmap of a search's index matches (71,000 members for "nguyen hung")
    # stays exact instead of going lossy at the stock 4 MB and re-checking whole table pages
    # (members.search_index.search_keys_condition).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off -c work_mem=32MB")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections here too (DB_CONN_MAX_AGE): a new SQLite connection per request
    # re-reads and parses the schema and runs the PRAGMAs below, the list API's p90 198 -> 130 ms
    # under 20 clients at province scale (docs/performance.md, session 5).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock an account+IP after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind a reverse proxy set PROXY_COUNT (usually 1): the client IP is then taken from
# X-Forwarded-For as appended by the trusted proxies, for the audit trail and for the lockout.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
if PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

OTP_TOTP_ISSUER = "dangvu"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["dangvu.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "dangvu.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DATE_FORMAT": "%Y-%m-%d",
    "DATE_INPUT_FORMATS": ["%Y-%m-%d", "%d/%m/%Y"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "dangvu API",
    "DESCRIPTION": "API của hệ thống công tác xây dựng Đảng. Xác thực: phiên đăng nhập hoặc "
    "`Authorization: Token …` lấy từ `POST /api/auth/token/`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `kind` or `status` field with their own choices: one name each.
    "ENUM_NAME_OVERRIDES": {
        "MemberStatusEnum": "dangvu.members.choices.MemberStatus",
        "AdmissionStepKindEnum": "dangvu.admission.choices.StepKind",
        "CandidateStatusEnum": "dangvu.admission.choices.CandidateStatus",
        "IntroducerKindEnum": "dangvu.admission.choices.IntroducerKind",
        "CongressKindEnum": "dangvu.committees.choices.CongressKind",
        "CongressStatusEnum": "dangvu.committees.choices.CongressStatus",
        "CongressDueStatusEnum": "dangvu.committees.choices.DueStatus",
        "CommitteeBodyEnum": "dangvu.committees.choices.BodyKind",
        "CommitteePositionEnum": "dangvu.committees.choices.Position",
        "SeatStartKindEnum": "dangvu.committees.choices.StartKind",
        "SeatEndReasonEnum": "dangvu.committees.choices.EndReason",
        "MemberEventKindEnum": "dangvu.members.choices.EventKind",
        "TransferKindEnum": "dangvu.members.choices.TransferKind",
        "OrgEventKindEnum": "dangvu.organizations.choices.OrgEventKind",
        "ImportJobKindEnum": "dangvu.dataio.models.ImportJob.Kind",
        "ImportJobStatusEnum": "dangvu.dataio.models.ImportJob.Status",
        "MeetingKindEnum": "dangvu.meetings.choices.MeetingKind",
        "MeetingStatusEnum": "dangvu.meetings.choices.MeetingStatus",
        "RosterCategoryEnum": "dangvu.meetings.choices.RosterCategory",
        "AttendanceStatusEnum": "dangvu.meetings.choices.AttendanceStatus",
        "CheckinMethodEnum": "dangvu.meetings.choices.CheckinMethod",
        "QualityEnum": "dangvu.meetings.choices.Quality",
        "DocumentKindEnum": "dangvu.meetings.choices.DocumentKind",
        "FindingCategoryEnum": "dangvu.meetings.choices.FindingCategory",
        "FindingStatusEnum": "dangvu.meetings.choices.FindingStatus",
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# E-mail (reminders) is off until EMAIL_HOST is set; then SMTP with these settings.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "dangvu@localhost")
# Absolute address of the site for links in e-mails and calendar feeds (e.g. https://dangvu.example.vn).
SITE_URL = os.environ.get("SITE_URL", "")
# Place on the date line of generated documents ("Hà Tĩnh, ngày …"); guessed from the tree if empty.
DANGVU_DOCUMENT_PLACE = os.environ.get("DANGVU_DOCUMENT_PLACE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Home page: heavy panels (core.views.LAZY_HOME_APPS) of scopes with more active members than
# this load after the page, and are kept this long (s) per user and day.
HOME_LAZY_PANEL_MEMBERS = int(os.environ.get("DANGVU_HOME_LAZY_PANEL_MEMBERS", "100000"))
HOME_PANEL_CACHE_SECONDS = int(os.environ.get("DANGVU_HOME_PANEL_CACHE_SECONDS", "600"))
