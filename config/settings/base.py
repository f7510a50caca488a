"""Settings shared by every shape of the system, read from the environment.

With no environment set the system runs embedded: SQLite under var/ and Celery tasks executed eagerly.
DATABASE_URL=postgres://... and CELERY_BROKER_URL=redis://... switch to the production shape.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "djmoney",
    "apps.core",
    "apps.ledger",
    "apps.funds",
    "apps.organizations",
    "apps.contributions",
    "apps.taxcredits",
    "apps.matching",
    "apps.grants",
    "apps.guarantees",
    "apps.exportfinance",
    "apps.relief",
    "apps.exports",
    "apps.statements",
    "apps.evaluations",
    "apps.audit",
    "apps.dashboard",
    "apps.bench",
    "apps.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.navigation.portal_links",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config(conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))}
    # Lets the ledger engine's server-bound statements be prepared once per connection (Django's own queries
    # bind on the client and are never prepared, so this changes nothing for them).
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
else:
    # The embedded default. WAL lets pages read while a task writes; writers queue instead of failing.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
LOGIN_URL = "/portal/login/"
LOGIN_REDIRECT_URL = "/portal/"

# Money: KRW has no minor unit; USD is allowed for foreign-currency accounts.
CURRENCIES = ("KRW", "USD")
DEFAULT_CURRENCY = "KRW"

# Celery: eager (in-process) when no broker is configured, Redis when one is.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
# Task results (progress of long jobs) live next to the queue unless told otherwise.
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or (
    None if CELERY_TASK_ALWAYS_EAGER else CELERY_BROKER_URL
)
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Seal entries as they commit when there is no beat to do it every few seconds.
LEDGER_SEAL_ON_COMMIT = env_bool("LEDGER_SEAL_ON_COMMIT", CELERY_TASK_ALWAYS_EAGER)
CELERY_BEAT_SCHEDULE = {
    "ledger-seal": {"task": "ledger.seal_all", "schedule": timedelta(seconds=5)},
    "matching-sweep": {"task": "matching.sweep", "schedule": timedelta(minutes=1)},
    "profit-recycling-sweep": {"task": "exportfinance.recycle_sweep",
                               "schedule": crontab(day_of_month="1", hour="3", minute="0")},
    "exports-purge": {"task": "exports.purge_expired", "schedule": crontab(hour="4", minute="0")},
}

# Uploaded documents (relief claims) and finished exports: private files, served only through views that check
# who asks. Never under STATIC_ROOT.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
EXPORTS_RETENTION_DAYS = int(os.environ.get("EXPORTS_RETENTION_DAYS", "7"))  # finished export files kept this long
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Win-Win Fund Ledger API",
    "DESCRIPTION": "Double-entry ledgers of Korea's win-win growth funds.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc served from our own static files: the docs work without any outside network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several rooms have a `status`; name the shared choice sets so the schema's enums read well.
    "ENUM_NAME_OVERRIDES": {
        "ContributionStatusEnum": "apps.contributions.models.ContributionStatus",
    },
}

UNFOLD = {
    "SITE_TITLE": "Win-Win Fund Ledger",
    "SITE_HEADER": "상생기금 원장 · Win-Win Fund Ledger",
    "SHOW_LANGUAGES": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Back office (django-unfold): look and sidebar; extends UNFOLD above. Everything it loads is served locally. ---
UNFOLD |= {
    "SITE_TITLE": "상생기금 원장 · Win-Win Fund Ledger",
    "SITE_HEADER": "상생기금 원장",
    "SITE_SUBHEADER": "Win-Win Fund Ledger",
    "SITE_SYMBOL": "account_balance",
    "SITE_URL": "/",
    "DASHBOARD_CALLBACK": "apps.dashboard.views.admin_dashboard",
    "SHOW_LANGUAGES": True,
    "SHOW_HISTORY": True,
    "COLORS": {
        "primary": {
            "50": "oklch(97% .014 254.604)", "100": "oklch(93.2% .032 255.585)", "200": "oklch(88.2% .059 254.128)",
            "300": "oklch(80.9% .105 251.813)", "400": "oklch(70.7% .165 254.624)", "500": "oklch(62.3% .214 259.815)",
            "600": "oklch(54.6% .245 262.881)", "700": "oklch(48.8% .243 264.376)", "800": "oklch(42.4% .199 265.638)",
            "900": "oklch(37.9% .146 265.522)", "950": "oklch(28.2% .091 267.935)",
        },
    },
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": True,
        "navigation": "apps.core.navigation.admin_sidebar",
    },
}
# --- end of the back-office block ---
