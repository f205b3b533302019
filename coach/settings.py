"""Settings read from the environment.

Nothing set gives the zero-setup default: a SQLite file and eager Celery tasks.
DATABASE_URL / REDIS_URL set give PostgreSQL (psycopg 3) and Redis (broker and cache).
DEBUG=0 turns on the production hardening that `check --deploy` looks for.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from redis.backoff import NoBackoff
from redis.retry import Retry

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"  # nosec B105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "template_partials",
    "coach",
    "athletes",
    "programs",
    "notices",
    "outbox",
    "web",  # its template tags (web/templatetags)
]

MIDDLEWARE = [
    # First: the request id and the one log line cover everything below, redirects included.
    "coach.request_log.RequestLogMiddleware",
    # Pages go out compressed (a phone in a gym has little signal); static files are compressed
    # once by whitenoise's storage. Django's gzip pads each answer against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff without a second factor are sent to set one up before the admin opens.
    "coach.second_factor.StaffSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coach.urls"
WSGI_APPLICATION = "coach.wsgi.application"

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
                "athletes.context_processors.unread_comments",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, with a health check of a kept connection that costs no round trip.
    DATABASES["default"]["ENGINE"] = "web.postgresql"
# Test runs sharing one PostgreSQL server at the same time each need their own test database.
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}

AUTH_USER_MODEL = "coach.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "coach.auth_backends.LoginAttemptGuard",
    # allauth's (a username or an email address with the password), reading an athlete's
    # profile with their user.
    "coach.auth_backends.AccountBackend",
]
# Brute-force protection (coach/login_attempts.py): failures are counted in the database, which
# every web process shares, so signing in never needs Redis. A username from one address is
# locked after LOGIN_FAILURE_LIMIT failures; an address after LOGIN_ADDRESS_FAILURE_LIMIT in
# LOGIN_ADDRESS_WINDOW across any usernames (password spraying).
AXES_HANDLER = "coach.login_attempts.LoginAttemptHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # one row per failure: what the address limit counts
AXES_LOCKOUT_CALLABLE = "coach.login_attempts.lockout_response"
AXES_CLIENT_IP_CALLABLE = "coach.login_attempts.client_ip"
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "coach.login_attempts.attempted_username"
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
LOGIN_ADDRESS_WINDOW = timedelta(hours=1)
# Behind a TLS proxy (or a load balancer and a proxy): how many of ours forward each request,
# so sign-in limits count the client's address (X-Forwarded-For), not the proxy's.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Sessions live in the database (read by coach.sessions): reading one never needs Redis.
SESSION_ENGINE = "coach.sessions"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# -- Accounts: django-allauth (sign-up, email, password reset, two-factor) ----------------------
# Anyone signs in with their username or their email address. Signing up makes a coach (athletes
# join through an invitation, coach/views.py); the address must be verified before the coach
# may invite, but they can sign in and build programs before that.
ACCOUNT_ADAPTER = "coach.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "coach.forms.LoginForm", "signup": "coach.forms.CoachSignupForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# One address per account; a new one replaces it only once its link is followed.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # the link shows a button: mail scanners do not verify
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = True  # signed in until logout, as before: athletes log on phones
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Coach: "
# A changed password or address, a second factor turned on or off: the owner is told by email.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Adding or changing an email address asks for the password again unless it was given in the
# last REAUTHENTICATION_TIMEOUT (5 min): a phone left signed in cannot be made someone else's.
# (Changing the password asks for the current one anyway.)
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Reset links work once (they are bound to the password) and expire after this long.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_VALID_HOURS", "2")) * 60 * 60
# Failed sign-ins (passwords and second-factor codes) are counted by axes in the database
# (below); allauth's own login limits would count them again in the cache, with another page.
# Its other limits stay, and answer the same 429 page (coach.views.too_many_requests).
ACCOUNT_RATE_LIMITS = {
    "login": None,
    "login_failed": None,
    "signup": "10/h/ip",
}
MFA_ADAPTER = "coach.adapters.SecondFactorAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Coach"
# The code before and after the current one are taken too: a phone's clock a little off, or a
# code typed as it changes, still works. Each code works once.
MFA_TOTP_TOLERANCE = 1
MFA_FORMS = {
    "authenticate": "coach.forms.SecondFactorForm",
    "activate_totp": "coach.forms.AuthenticatorAppForm",
}
# allauth's rule that an account with two-factor on may not add an unverified address would
# leave staff (who may not turn it off) unable ever to change theirs. The new address replaces
# the old only once verified (ACCOUNT_CHANGE_EMAIL); the other half of the rule — no second
# factor while an address is unverified — is kept by coach.forms.AuthenticatorAppForm.
MFA_ALLOW_UNVERIFIED_EMAIL = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end libraries come pinned from npm (package-lock.json) and are served from node_modules.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS += [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/sortablejs", NODE_MODULES / "sortablejs"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# No inline scripts or styles anywhere: our JS and CSS are files under static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The pages people reload most are kept in the cache until a write changes what they show
# (web/kept_pages.py); writes to these apps' and models' tables change no page.
KEPT_PAGES = env_bool("KEPT_PAGES", True)
KEPT_PAGES_UNSHOWN = ["sessions", "axes", "outbox", "admin", "coach.BrowserSession"]

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Answers as an empty cache while Redis is away (coach/cache.py): what it holds,
            # allauth's rate limits, never stops a sign-up or a reset.
            "BACKEND": "coach.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that is down or hangs costs a second, tried once.
            "OPTIONS": {
                "socket_connect_timeout": 1,
                "socket_timeout": 1,
                "retry": Retry(NoBackoff(), 0),
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# No task runs longer than this (a scan chunk takes about a second; long work is split)...
CELERY_TASK_SOFT_TIME_LIMIT = 45
CELERY_TASK_TIME_LIMIT = 60
# ...so a task a worker took and never acknowledged (the worker was killed) is handed out again
# this long after it was taken. Redis is checked for such tasks every BROKER_RESTORE_SECONDS:
# a killed worker's work is done again within 75 + 5 + its run time, well inside two minutes.
BROKER_VISIBILITY_TIMEOUT = int(os.environ.get("BROKER_VISIBILITY_TIMEOUT", "75"))
BROKER_RESTORE_SECONDS = 5
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": BROKER_RESTORE_SECONDS,
    "unacked_restore_throttle": 1,  # kombu scans only every 10th interval by default
    # A broker that is down or unreachable fails a send within a second, instead of retrying
    # for many: the outbox keeps what could not be sent (outbox/services.py).
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
OUTBOX_RELAY_SECONDS = int(os.environ.get("OUTBOX_RELAY_SECONDS", "10"))
CELERY_BEAT_SCHEDULE = {
    # Flags: the scan fans out chunks of athletes; rechecks after each change come on top.
    "flags-scan": {"task": "athletes.tasks.flags_scan", "schedule": timedelta(minutes=15)},
    "flags-digest": {"task": "athletes.tasks.flags_digest_send", "schedule": timedelta(hours=1)},
    # Reminders, move and missed-session notes, in each athlete's zone; each is sent once.
    "reminders": {"task": "athletes.tasks.reminders_send", "schedule": timedelta(minutes=15)},
    # Notice emails that waited out a user's 10-minute batch.
    "notices-email": {
        "task": "notices.tasks.notices_email_pending",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 60},
    },
    # Sessions past their expiry, deleted: one statement; a run missed is done by the next.
    "browser-sessions-clear": {
        "task": "coach.tasks.browser_sessions_clear",
        "schedule": timedelta(hours=6),
        "options": {"expires": 3600},
    },
    # What the relay after a commit could not send (the broker was down). A run not taken
    # before the next one is sent is dropped: they would all do the same.
    "outbox-relay": {
        "task": "outbox.tasks.outbox_relay",
        "schedule": timedelta(seconds=OUTBOX_RELAY_SECONDS),
        "options": {"expires": OUTBOX_RELAY_SECONDS},
    },
}
# Flagging looks at sessions starting within this many days; a scan chunk is this many athletes.
FLAG_SCAN_HORIZON_DAYS = int(os.environ.get("FLAG_SCAN_HORIZON_DAYS", "21"))
FLAG_SCAN_CHUNK_SIZE = int(os.environ.get("FLAG_SCAN_CHUNK_SIZE", "1000"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Where emails' links point (a worker has no request to take the host from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Coach <coach@localhost>")

INVITATION_VALID_FOR = timedelta(days=int(os.environ.get("INVITATION_VALID_DAYS", "14")))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# A container's or load balancer's health check speaks plain HTTP to the process itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# One JSON object per line on stderr, each with the request id (coach/request_log.py); one line
# per request from the "coach.requests" logger.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "coach.request_log.RequestContextFilter"}},
    "formatters": {"json": {"()": "coach.request_log.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": "json",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # axes logs every successful login at INFO; keep lockouts (WARNING) only.
    "loggers": {"axes": {"level": "WARNING"}},
}
