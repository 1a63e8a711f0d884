import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from kindjournal.accounts.models import Profile

PASSWORD = "a-long-test-password-41"


def make_user(username, time_zone="UTC"):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    Profile.objects.create(user=user, time_zone=time_zone)
    return user


@pytest.fixture
def owner(db):
    return make_user("alice")


@pytest.fixture
def stranger(db):
    return make_user("mallory")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def stranger_client(client, stranger):
    client.force_login(stranger)
    return client


@pytest.fixture
def today(owner):
    return owner.profile.today()


@pytest.fixture
def yesterday(today):
    return today - datetime.timedelta(days=1)


@pytest.fixture
def hashed_static(tmp_path, settings):
    """Static files as `make serve` has them: collected, with WhiteNoise's hashed names."""
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
