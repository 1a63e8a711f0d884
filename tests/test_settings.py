"""The real settings module under a deploy's environment: it refuses bad values, and with
production values `check --deploy` is clean. Each case starts Python afresh with a clean
environment (tests/settings.py has already shaped this process's)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from tests.settings_env import settings_under

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def production_env(tmp_path):
    """What a real deploy sets, with the embedded database in a throwaway folder."""
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "KINDJOURNAL_FIELD_KEYS": Fernet.generate_key().decode(),
        "DJANGO_ALLOWED_HOSTS": "journal.example.org",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://journal.example.org",
        "KINDJOURNAL_BASE_URL": "https://journal.example.org",
        "KINDJOURNAL_DATA_DIR": str(tmp_path),
    }


def run(*args, **env):
    """`python *args` in the project with only PATH and `env` set, real settings."""
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "kindjournal.settings", **env}
    return subprocess.run(  # noqa: S603 - our own interpreter on our own manage.py
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def django_prints(code, **env):
    result = run("-c", f"import django; django.setup()\n{code}", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize("value", ["yes", "on", "2", "ture"])
def test_an_unclear_debug_value_refuses_to_start(production_env, value):
    result = run("manage.py", "check", **production_env, DJANGO_DEBUG=value)
    assert result.returncode != 0
    assert f"DJANGO_DEBUG must be true, false, 1 or 0, not '{value}'." in result.stderr


@pytest.mark.parametrize(
    ("value", "debug"),
    [("true", True), ("TRUE", True), ("1", True), ("false", False), ("0", False), ("", False)],
)
def test_debug_is_read_from_true_false_one_or_zero_and_is_off_unless_set(
    monkeypatch, tmp_path, value, debug
):
    values = settings_under(
        monkeypatch,
        DJANGO_DEBUG=value,
        DJANGO_SECRET_KEY="x" * 50,
        KINDJOURNAL_DATA_DIR=str(tmp_path),
    )
    assert values["DEBUG"] is debug


def test_without_a_secret_key_the_app_refuses_to_start_and_says_how_to_fix_it(tmp_path):
    for debug in ({}, {"DJANGO_DEBUG": "false"}):
        for command in (["manage.py", "check"], ["-c", "import kindjournal.wsgi"]):
            result = run(*command, KINDJOURNAL_DATA_DIR=str(tmp_path), **debug)
            assert result.returncode != 0
            assert "DJANGO_SECRET_KEY is not set. Set it to a long random value" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_a_blank_secret_key_counts_as_missing(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is not set"):
        settings_under(monkeypatch, DJANGO_SECRET_KEY="   ", KINDJOURNAL_DATA_DIR=str(tmp_path))


def test_local_debug_runs_generate_private_key_files_once(tmp_path):
    data = tmp_path / "data"
    code = "from django.conf import settings; print(settings.KINDJOURNAL_FIELD_KEYS)"
    first = django_prints(code, DJANGO_DEBUG="true", KINDJOURNAL_DATA_DIR=str(data))
    assert data.stat().st_mode & 0o777 == 0o700
    keys = {}
    for name in ("secret_key", "field_keys", "vapid_private_key"):
        key_file = data / name
        assert key_file.stat().st_mode & 0o777 == 0o600
        keys[name] = key_file.read_text()
    Fernet(keys["field_keys"])
    assert keys["field_keys"] != keys["secret_key"]
    again = django_prints(code, DJANGO_DEBUG="true", KINDJOURNAL_DATA_DIR=str(data))
    assert first == again == [repr([keys["field_keys"]])]
    assert {name: (data / name).read_text() for name in keys} == keys
    assert sorted(path.name for path in data.iterdir()) == [
        "field_keys",
        "secret_key",
        "vapid_private_key",
    ]


def test_without_field_keys_a_production_app_refuses_to_start_and_says_how_to_fix_it(
    production_env, tmp_path
):
    del production_env["KINDJOURNAL_FIELD_KEYS"]
    for command in (["manage.py", "check"], ["-c", "import kindjournal.wsgi"]):
        result = run(*command, **production_env)
        assert result.returncode != 0
        assert "KINDJOURNAL_FIELD_KEYS is not set: notes and acts are encrypted" in result.stderr
        assert "back the key up apart from the database" in result.stderr
    assert not (tmp_path / "field_keys").exists()


def test_a_field_key_that_is_not_a_fernet_key_refuses_to_start_without_repeating_it(
    monkeypatch, tmp_path
):
    good, typo = Fernet.generate_key().decode(), Fernet.generate_key().decode()[:-2] + "!="
    with pytest.raises(ImproperlyConfigured) as refused:
        settings_under(
            monkeypatch,
            DJANGO_SECRET_KEY="x" * 50,
            KINDJOURNAL_DATA_DIR=str(tmp_path),
            KINDJOURNAL_FIELD_KEYS=f"{good}, {typo}",
        )
    assert str(refused.value).startswith("KINDJOURNAL_FIELD_KEYS: key 2 of 2 is not a Fernet key")
    assert typo not in str(refused.value) and good not in str(refused.value)


def test_field_keys_are_read_in_order_first_one_encrypting(monkeypatch, tmp_path):
    keys = [Fernet.generate_key().decode() for _ in range(3)]
    values = settings_under(
        monkeypatch,
        DJANGO_SECRET_KEY="x" * 50,
        KINDJOURNAL_DATA_DIR=str(tmp_path),
        KINDJOURNAL_FIELD_KEYS=" , ".join(keys),
    )
    assert values["KINDJOURNAL_FIELD_KEYS"] == keys


def test_without_a_vapid_key_in_production_notifications_are_off(monkeypatch, production_env):
    values = settings_under(monkeypatch, **production_env)
    assert values["KINDJOURNAL_VAPID_PRIVATE_KEY"] == ""
    assert not (Path(production_env["KINDJOURNAL_DATA_DIR"]) / "vapid_private_key").exists()


def test_a_generated_vapid_key_and_its_subject_are_read_from_the_environment(
    monkeypatch, production_env
):
    out = run("manage.py", "generate_vapid_keys", **production_env)
    assert out.returncode == 0, out.stderr
    lines = dict(line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)
    values = settings_under(
        monkeypatch,
        **production_env,
        KINDJOURNAL_VAPID_PRIVATE_KEY=lines["KINDJOURNAL_VAPID_PRIVATE_KEY"],
        KINDJOURNAL_VAPID_SUBJECT="mailto:admin@journal.example.org",
    )
    assert values["KINDJOURNAL_VAPID_PRIVATE_KEY"] == lines["KINDJOURNAL_VAPID_PRIVATE_KEY"]
    assert len(lines["public key"]) == 87  # 65 bytes, base64url


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KINDJOURNAL_VAPID_PRIVATE_KEY": "not-a-key"}, "KINDJOURNAL_VAPID_PRIVATE_KEY must be"),
        (
            {"KINDJOURNAL_VAPID_SUBJECT": "admin@example.org"},
            "KINDJOURNAL_VAPID_SUBJECT must be a contact",
        ),
    ],
)
def test_a_bad_vapid_key_or_subject_refuses_to_start(monkeypatch, production_env, env, message):
    good = {
        "KINDJOURNAL_VAPID_PRIVATE_KEY": "TzTLKs_v9FNIyw6Bpj18KYWh1KjwtqWC6UA7Tn8uk2A",
        "KINDJOURNAL_VAPID_SUBJECT": "mailto:admin@journal.example.org",
    }
    with pytest.raises(ImproperlyConfigured, match=message):
        settings_under(monkeypatch, **production_env, **{**good, **env})


def test_processes_starting_at_once_on_a_fresh_checkout_share_one_key(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "kindjournal.settings"}
    env = {**clean, "DJANGO_DEBUG": "true", "KINDJOURNAL_DATA_DIR": str(tmp_path)}
    starting = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and settings
            [sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(8)
    ]
    keys = {process.communicate(timeout=60)[0].strip() for process in starting}
    assert keys == {(tmp_path / "secret_key").read_text()}


def test_the_embedded_database_folder_is_private(production_env, tmp_path):
    data = tmp_path / "data"
    result = run("manage.py", "check", **{**production_env, "KINDJOURNAL_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    assert data.stat().st_mode & 0o777 == 0o700


def test_check_deploy_is_clean_with_production_settings(production_env):
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **production_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"
    assert result.stderr == ""


def test_check_deploy_fails_without_allowed_hosts_as_make_serve_runs_it(production_env):
    del production_env["DJANGO_ALLOWED_HOSTS"]
    result = run("manage.py", "check", "--deploy", "--fail-level", "ERROR", **production_env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is empty, so every request would be refused with 400." in (
        result.stderr
    )


def test_check_deploy_warns_when_https_is_switched_off(production_env):
    # The clean result above means something: the same check does catch a plain-HTTP deploy.
    result = run("manage.py", "check", "--deploy", **production_env, DJANGO_HTTPS="false")
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_passwords_are_hashed_with_argon2_in_the_real_settings(production_env):
    first, hashed, validators = django_prints(
        "from django.conf import settings\n"
        "from django.contrib.auth.hashers import make_password\n"
        "from django.contrib.auth.password_validation import get_default_password_validators\n"
        "print(settings.PASSWORD_HASHERS[0], make_password('correct horse'),"
        " len(get_default_password_validators()))",
        **production_env,
    )
    assert first == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert hashed.startswith("argon2$argon2id$")
    assert validators == "4"


def test_the_embedded_database_is_tuned_for_a_web_server(production_env):
    journal_mode, busy_timeout, transaction_mode = django_prints(
        "from django.db import connection\n"
        "cursor = connection.cursor()\n"
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0],"
        " cursor.execute('PRAGMA busy_timeout').fetchone()[0], connection.transaction_mode)",
        **production_env,
    )
    assert (journal_mode, busy_timeout, transaction_mode) == ("wal", "20000", "IMMEDIATE")


def test_the_embedded_database_overwrites_what_is_deleted(production_env, tmp_path):
    # Asked for in the settings: whether it is on by default depends on how SQLite was built.
    init_command, secure_delete, left_in_file = django_prints(
        "from django.conf import settings\n"
        "from django.db import connection, transaction\n"
        "cursor = connection.cursor()\n"
        "cursor.execute('CREATE TABLE note (text TEXT)')\n"
        "with transaction.atomic():\n"
        "    cursor.execute('INSERT INTO note VALUES (?)', ['private words ' * 200])\n"
        "with transaction.atomic():\n"
        "    cursor.execute('DELETE FROM note')\n"
        "cursor.execute('PRAGMA wal_checkpoint(TRUNCATE)')\n"
        "print(repr(settings.DATABASES['default']['OPTIONS']['init_command']).replace(' ', '_'),"
        " cursor.execute('PRAGMA secure_delete').fetchone()[0],"
        " b'private words' in open(settings.DATABASES['default']['NAME'], 'rb').read())",
        **production_env,
    )
    assert "PRAGMA_secure_delete=ON;" in init_command
    assert (secure_delete, left_in_file) == ("1", "False")


def test_database_url_selects_postgresql_with_persistent_checked_connections(monkeypatch, tmp_path):
    values = settings_under(
        monkeypatch,
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://journal:pw@db.internal:5432/kindjournal",
    )
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["USER"]) == (
        "db.internal",
        "kindjournal",
        "journal",
    )
    assert database["CONN_MAX_AGE"] == 60 and database["CONN_HEALTH_CHECKS"] is True


def test_app_servers_keep_sessions_in_the_shared_database_and_cache_nothing(monkeypatch):
    values = settings_under(monkeypatch, DJANGO_SECRET_KEY="x" * 50)
    assert values.get("SESSION_ENGINE", "django.contrib.sessions.backends.db") == (
        "django.contrib.sessions.backends.db"
    )
    # No per-process cache that one server could hold stale while another has moved on.
    assert values["CACHES"] == {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }


def test_behind_a_proxy_one_proxy_is_trusted_unless_told_otherwise(monkeypatch):
    direct = settings_under(monkeypatch, DJANGO_SECRET_KEY="x" * 50)
    assert direct["PROXY_COUNT"] == 0 and "SECURE_PROXY_SSL_HEADER" not in direct
    proxied = settings_under(monkeypatch, DJANGO_SECRET_KEY="x" * 50, DJANGO_BEHIND_PROXY="true")
    assert proxied["PROXY_COUNT"] == 1
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    two = settings_under(
        monkeypatch, DJANGO_SECRET_KEY="x" * 50, DJANGO_BEHIND_PROXY="1", DJANGO_PROXY_COUNT="2"
    )
    assert two["PROXY_COUNT"] == 2


RATE_RULE = (
    "a number from 1 up, a slash and one of s, m, h or d (per second, minute, hour or day), "
    "such as 10/h"
)


@pytest.mark.parametrize(
    ("rate", "meaning"),
    [("", (10, 3600)), ("10/h", (10, 3600)), ("3/m", (3, 60)), ("100/d", (100, 86400))],
)
def test_the_sign_up_rate_is_a_count_per_second_minute_hour_or_day(monkeypatch, rate, meaning):
    values = settings_under(monkeypatch, DJANGO_SECRET_KEY="x" * 50, SIGNUP_RATE=rate)
    assert values["SIGNUP_RATE"] == meaning


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DJANGO_PROXY_COUNT", "one", "DJANGO_PROXY_COUNT must be a whole number, not 'one'."),
        ("DJANGO_PROXY_COUNT", "-1", "DJANGO_PROXY_COUNT must be 0 or more, not -1."),
        ("DJANGO_HTTPS", "maybe", "DJANGO_HTTPS must be true, false, 1 or 0, not 'maybe'."),
        ("AXES_FAILURE_LIMIT", "0", "AXES_FAILURE_LIMIT must be 1 or more, not 0."),
        ("AXES_FAILURE_LIMIT", "five", "AXES_FAILURE_LIMIT must be a whole number, not 'five'."),
        ("AXES_COOLOFF_MINUTES", "0", "AXES_COOLOFF_MINUTES must be 1 or more, not 0."),
        ("AXES_COOLOFF_MINUTES", "-15", "AXES_COOLOFF_MINUTES must be 1 or more, not -15."),
        *(
            ("SIGNUP_RATE", rate, f"SIGNUP_RATE must be {RATE_RULE}, not {rate!r}.")
            for rate in ["10 per hour", "10/week", "10/hour", "0/h", "-1/h", "/h", "10", "ten/h"]
        ),
    ],
)
def test_other_unclear_values_refuse_to_start(monkeypatch, name, value, message):
    with pytest.raises(ImproperlyConfigured) as refused:
        settings_under(monkeypatch, DJANGO_SECRET_KEY="x" * 50, **{name: value})
    assert str(refused.value) == message


SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    ("env", "backend", "reset_by_email"),
    [
        # Production without a mail server: no reset links printed into the server's log.
        ({}, "django.core.mail.backends.dummy.EmailBackend", False),
        ({"DJANGO_EMAIL_HOST": "smtp.example.org"}, SMTP, True),
        ({"DJANGO_DEBUG": "true"}, "django.core.mail.backends.console.EmailBackend", True),
        ({"DJANGO_DEBUG": "true", "DJANGO_EMAIL_HOST": "smtp.example.org"}, SMTP, True),
    ],
)
def test_e_mail_goes_to_a_mail_server_or_in_debug_the_console_and_nowhere_else(
    monkeypatch, tmp_path, env, backend, reset_by_email
):
    values = settings_under(
        monkeypatch, DJANGO_SECRET_KEY="x" * 50, KINDJOURNAL_DATA_DIR=str(tmp_path), **env
    )
    assert values["EMAIL_BACKEND"] == backend
    assert values["PASSWORD_RESET_BY_EMAIL"] is reset_by_email
    assert values["EMAIL_TIMEOUT"] == 10


def test_the_test_run_keeps_its_files_outside_the_checkout():
    checkout = Path(__file__).resolve().parents[1]
    assert not Path(django_settings.DATA_DIR).resolve().is_relative_to(checkout)


def test_check_deploy_fails_without_a_base_url_for_share_links(production_env):
    del production_env["KINDJOURNAL_BASE_URL"]
    result = run("manage.py", "check", "--deploy", "--fail-level", "ERROR", **production_env)
    assert result.returncode != 0
    assert "kindjournal.E002" in result.stderr
    assert "KINDJOURNAL_BASE_URL is empty" in result.stderr


@pytest.mark.parametrize(
    ("value", "read"),
    [
        ("https://journal.example.org", "https://journal.example.org"),
        ("https://journal.example.org/", "https://journal.example.org"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("https://example.org/journal/", "https://example.org/journal"),
        ("", ""),
    ],
)
def test_the_base_url_is_read_without_its_trailing_slash(monkeypatch, tmp_path, value, read):
    values = settings_under(
        monkeypatch,
        DJANGO_DEBUG="true",
        KINDJOURNAL_DATA_DIR=str(tmp_path),
        KINDJOURNAL_BASE_URL=value,
    )
    assert values["KINDJOURNAL_BASE_URL"] == read


@pytest.mark.parametrize(
    "value",
    [
        "journal.example.org",
        "ftp://journal.example.org",
        "https://",
        "https://x.org/?a=1",
        "https://user:pw@x.org",
        "https://x.org/#top",
    ],
)
def test_a_base_url_that_is_not_a_site_address_refuses_to_start(monkeypatch, tmp_path, value):
    with pytest.raises(ImproperlyConfigured, match="KINDJOURNAL_BASE_URL must be the address"):
        settings_under(
            monkeypatch,
            DJANGO_DEBUG="true",
            KINDJOURNAL_DATA_DIR=str(tmp_path),
            KINDJOURNAL_BASE_URL=value,
        )
