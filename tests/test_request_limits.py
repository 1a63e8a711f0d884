"""Request bodies over the limit are refused with 413 before anything reads them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kindjournal.imports.models import PendingImport
from kindjournal.journal.models import DayEntry
from tests.conftest import PASSWORD
from tests.urlwalk import body

THREE_HUNDRED_MB = str(300 * 1024 * 1024)


def claiming(client, url, length, data=b"x=1"):
    """A POST whose Content-Length says `length` while only `data` can be read: the test
    client's input raises if anything tries to read past it, so a 413 here proves nothing
    read, or spooled, the body."""
    return client.generic(
        "POST",
        url,
        data,
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=length,
    )


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        ("/accounts/login/", "256.0\xa0KB"),
        ("/accounts/signup/", "256.0\xa0KB"),
        ("/", "256.0\xa0KB"),
        ("/import/", "6.0\xa0MB"),
    ],
)
def test_a_300_mb_post_is_refused_unread_logged_in_or_not(client, owner, url, limit):
    assert claiming(client, url, THREE_HUNDRED_MB).status_code == 413
    client.force_login(owner)
    refused = claiming(client, url, THREE_HUNDRED_MB)
    assert refused.status_code == 413
    assert f"larger than this page accepts ({limit} at most)" in body(refused)
    assert "none of it was read and nothing was saved" in body(refused)
    assert refused["Cache-Control"] == "no-store"


def test_a_form_post_over_256_kb_is_refused_and_stores_nothing(owner_client, today):
    url = reverse("journal:day", args=[today])
    refused = owner_client.post(url, {"mood": "7", "note": "x" * (300 * 1024)})
    assert refused.status_code == 413
    assert "256.0\xa0KB at most" in body(refused)
    assert not DayEntry.objects.exists()
    # Just under the limit, the form answers as usual (here: the note is too long).
    answered = owner_client.post(url, {"mood": "7", "note": "x" * (200 * 1024)})
    assert answered.status_code == 200
    assert not DayEntry.objects.exists()


def test_an_upload_over_6_mb_is_refused_and_stores_nothing(owner_client):
    big = SimpleUploadedFile("daylio.csv", b"a" * (6 * 1024 * 1024 + 1), content_type="text/csv")
    refused = owner_client.post(reverse("imports:upload"), {"file": big})
    assert refused.status_code == 413
    assert not PendingImport.objects.exists()


def test_an_upload_the_import_form_can_judge_reaches_it(owner_client):
    # 5.5 MB: over the form's own 5 MB limit, under the request's; the form says why.
    file = SimpleUploadedFile("daylio.csv", b"a" * (5_500 * 1024), content_type="text/csv")
    answered = owner_client.post(reverse("imports:upload"), {"file": file})
    assert answered.status_code == 200
    assert "files up to 5 MB can be imported here" in body(answered)


def test_a_log_in_under_the_limit_is_answered_as_usual(client, owner):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
