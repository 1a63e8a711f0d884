"""Request bodies over the limit are refused with 413 before anything reads them."""

import io
from wsgiref.handlers import SimpleHandler
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from kindjournal.imports.models import PendingImport
from kindjournal.journal.models import DayEntry
from kindjournal.request_limits import refuse_large_bodies
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


@pytest.mark.parametrize("length", [THREE_HUNDRED_MB, "1000000000", "9" * 40])
@pytest.mark.parametrize(
    ("url", "limit"),
    [
        ("/accounts/login/", "256.0\xa0KB"),
        ("/accounts/signup/", "256.0\xa0KB"),
        ("/", "256.0\xa0KB"),
        ("/import/", "6.0\xa0MB"),
    ],
)
def test_a_300_mb_post_is_refused_unread_logged_in_or_not(client, owner, url, limit, length):
    assert claiming(client, url, length).status_code == 413
    client.force_login(owner)
    refused = claiming(client, url, length)
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


@pytest.mark.parametrize("length", ["abc", "1e9", "-1", "-300000000", "1_000", "+3", "٣", "3, 3"])
@pytest.mark.parametrize("url", ["/accounts/login/", "/import/", "/accounts/settings/"])
def test_a_content_length_that_is_not_a_number_is_refused_unread_with_400(
    owner_client, url, length
):
    refused = claiming(owner_client, url, length)
    assert refused.status_code == 400
    assert "did not say its size as a number of bytes" in body(refused)
    assert "none of it was read and nothing was saved" in body(refused)
    assert not PendingImport.objects.exists()


def test_the_middleware_answers_a_billion_byte_declaration_before_the_view_runs():
    def view(request):
        raise AssertionError("the view must not run")

    middleware = refuse_large_bodies(view)
    # int() refuses over 4,300 digits with an error: so many is simply too large.
    for length, status in [("1000000000", 413), ("9" * 5000, 413), ("-5", 400), ("x", 400)]:
        request = RequestFactory().post("/accounts/login/", CONTENT_LENGTH=length)
        assert middleware(request).status_code == status
    request = RequestFactory().post("/accounts/login/", {"x": "1"})
    assert refuse_large_bodies(lambda request: HttpResponse("read"))(request).content == b"read"


def through_wsgi_reference_server(url, length):
    """The status line `manage.py runserver`'s server (wsgiref) sends for a POST to `url` whose
    Content-Length says `length`: it refuses, with a 500, responses a WSGI application may not
    send, such as one with a hop-by-hop header."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": url,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": length,
        "HTTP_HOST": "testserver",
    }
    setup_testing_defaults(environ)
    sent, errors = io.BytesIO(), io.StringIO()
    # As the test client does: the test database's connection stays open across the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        SimpleHandler(io.BytesIO(b"x=1"), sent, errors, environ).run(get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return sent.getvalue().split(b"\r\n", 1)[0].decode(), errors.getvalue()


@pytest.mark.parametrize(("length", "status"), [("1000000000", "413"), ("abc", "400")])
def test_refusals_are_responses_the_wsgi_server_sends(db, length, status):
    status_line, errors = through_wsgi_reference_server("/accounts/login/", length)
    assert status_line.startswith(f"HTTP/1.0 {status} "), errors
