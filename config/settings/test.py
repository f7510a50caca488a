from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Tests seal explicitly (apps.ledger.sealing) so that every run behaves the same, broker or not.
LEDGER_SEAL_ON_COMMIT = False
