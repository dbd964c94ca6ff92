"""Hemma's settings: one module, read from the environment.

Without any environment Hemma runs on SQLite under ./data, which `make run` uses. Set
DATABASE_URL (postgres://…) for PostgreSQL, as production and CI do.
"""

import secrets
from pathlib import Path

import environ
from csp.constants import NONE, SELF

from hemma.lib import languages

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
DATA_DIR = Path(env.str("HEMMA_DATA_DIR", default=str(BASE_DIR / "data")))


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one made once and kept in the data folder."""
    if key := env.str("SECRET_KEY", default=""):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# An expired form gets Hemma's page in the page's language, not Django's English one.
CSRF_FAILURE_VIEW = "hemma.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs page's Swagger UI from its own static files, not a CDN
    "template_partials",
    "csp",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "hemma.accounts",
    "hemma.organisations",
    "hemma.programmes",
    "hemma.audit",
    "hemma.followup",
    "hemma.registries",
    "hemma.volunteers",
    "hemma.public",
    "hemma.reports",
    "hemma.surveys",
    "hemma.information",
    "hemma.bench",  # no models: its commands, `hemma bench-data` and `hemma bench`
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hemma.urls"
WSGI_APPLICATION = "hemma.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hemma" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
            ],
            "builtins": ["hemma.lib.templatetags"],
        },
    }
]
# Django's renderer, with its commonest widgets drawn without the template engine: a page of
# many small forms (the grid of values) spent a third of its time in widget templates.
FORM_RENDERER = "hemma.lib.form_renderer.Renderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'hemma.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A connection kept for this many seconds (checked before reuse) rather than opened for every
# request: on PostgreSQL, opening one costs more than a page's queries (docs/performance.md).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite, the embedded default: a transaction takes the write lock when it begins, and
    # waits for it up to 20 s. Begun deferred, two first records of one value at once read,
    # then both asked for the lock, and one failed with "database is locked" (a 500) where it
    # should wait and answer 409.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out (IP, username) pair never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"

# E-mail (reporting-round reminders). The console by default, as in the demo: set
# EMAIL_URL (smtp://user:password@host:587, with +tls) to send for real.
vars().update(
    {
        name: value
        for name, value in env.email_url("EMAIL_URL", default="consolemail://").items()
        if value not in (None, "")
    }
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="hemma@localhost")
LOGIN_REDIRECT_URL = "programmes:list"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: accounts are made by coordinators and the `hemma` command, not by signing up.
ACCOUNT_ADAPTER = "hemma.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
# django-axes alone locks out after failed sign-ins (below): allauth's own failed-login limit
# would answer first, differently, and per IP as well. Its limit on all attempts stays.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Hemma"

# django-axes: lock an (IP address, username) pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
# allauth's form posts "login" but authenticates with username=: see hemma/accounts/lockout.py.
AXES_USERNAME_CALLABLE = "hemma.accounts.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "sv"
LANGUAGES = languages.STAFF_LANGUAGES
LANGUAGES_BIDI = languages.LANGUAGES_BIDI
languages.register()
LOCALE_PATHS = [BASE_DIR / "hemma" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Helsinki"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "hemma" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploads: a programme document is small; anything larger is refused before it is parsed.
HEMMA_MAX_IMPORT_BYTES = env.int("HEMMA_MAX_IMPORT_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = HEMMA_MAX_IMPORT_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = HEMMA_MAX_IMPORT_BYTES

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Uploaded and built files kept by Hemma (the reports built from the web). Never served as
# static files: every download goes through a view that checks who asks.
MEDIA_ROOT = DATA_DIR / "media"

# Background work (django-tasks): reports built from the web. The database backend needs a
# worker (`hemma db_worker`, started by `make run`); "immediate" runs a task at once, in the
# request (for tests, or a small installation without a worker).
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[env.str("HEMMA_TASKS", default="database")],
    }
}

# Open data (hemma/public/): the licence the published follow-up is given under.
HEMMA_OPEN_DATA_LICENCE = {
    "name": env.str("HEMMA_OPEN_DATA_LICENCE_NAME", default="CC-BY-4.0"),
    "title": env.str("HEMMA_OPEN_DATA_LICENCE_TITLE", default="Creative Commons Attribution 4.0"),
    "path": env.str(
        "HEMMA_OPEN_DATA_LICENCE_URL", default="https://creativecommons.org/licenses/by/4.0/"
    ),
}

# The cache: Redis where REDIS_URL is set (shared by the app servers: the survey's rate limit
# counts there, in memory, never in the database), else each process's own memory.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.str("REDIS_URL")}
        if env.str("REDIS_URL", default="")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Answering a survey (hemma/surveys/answer_views.py): the answers one address may send to one
# survey, as "answers/seconds" (counted in the cache, never the database), and the largest
# answer taken beyond the room its text questions need.
HEMMA_SURVEY_RATE = env.str("HEMMA_SURVEY_RATE", default="10/600")
HEMMA_SURVEY_MAX_BYTES = env.int("HEMMA_SURVEY_MAX_BYTES", default=64 * 1024)

# Counts of people below this are never published (hemma/lib/suppression.py).
HEMMA_SUPPRESSION_THRESHOLD = env.int("HEMMA_SUPPRESSION_THRESHOLD", default=5)
# A friend person (volunteer) inactive this many months is made anonymous by the daily
# `hemma volunteers-anonymise` (hemma/volunteers/models.py).
HEMMA_VOLUNTEER_RETENTION_MONTHS = env.int("HEMMA_VOLUNTEER_RETENTION_MONTHS", default=24)

# -- reporting rounds (hemma/followup/rounds.py)
# The site's address, for links in e-mails sent outside a request (`hemma remind` by cron).
HEMMA_SITE_URL = env.str("HEMMA_SITE_URL", default="http://127.0.0.1:8000")

# -- information for residents (hemma/information/)
# The largest image and document a page takes, in bytes; an image is resized to at most this
# many pixels on its longer side and stored without its metadata (hemma/information/uploads.py).
HEMMA_INFO_MAX_IMAGE_BYTES = env.int("HEMMA_INFO_MAX_IMAGE_BYTES", default=10 * 1024 * 1024)
HEMMA_INFO_MAX_DOCUMENT_BYTES = env.int("HEMMA_INFO_MAX_DOCUMENT_BYTES", default=20 * 1024 * 1024)
HEMMA_INFO_IMAGE_PIXELS = env.int("HEMMA_INFO_IMAGE_PIXELS", default=1600)
# The views and downloads of a day count toward the indicators "information material used"
# within this many seconds (one recount per site in that time, hemma/information/counting.py).
HEMMA_INFO_RECOUNT_SECONDS = env.int("HEMMA_INFO_RECOUNT_SECONDS", default=60)

# -- the benchmark (hemma/bench/) only: mounts /bench/floor/, a bare view that inserts one row
# for anyone who posts (the floor of `hemma bench-load`). Never set it on a real installation.
HEMMA_BENCH_FLOOR = env.bool("HEMMA_BENCH_FLOOR", default=False)
