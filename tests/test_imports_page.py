"""/import/: upload, preview with mapping, confirm; all or nothing, into one's own journal."""

import datetime
import uuid
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kindjournal.account_data import delete_account
from kindjournal.imports import services
from kindjournal.imports.forms import MAX_UPLOAD_BYTES
from kindjournal.imports.models import PENDING_LIFETIME, PendingImport
from kindjournal.imports.sizes import ROWS_PER_FILE
from kindjournal.journal.models import DayEntry, KindnessAct
from tests.imports_helpers import daylio_file, daylio_row, sample

D = datetime.date
UPLOAD_URL = reverse("imports:upload")


def upload(client, data, name="daylio_export.csv"):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, data, "text/csv")})


def preview_of(client, data, name="daylio_export.csv"):
    response = upload(client, data, name)
    assert response.status_code == 302, response.content.decode()
    return response.url, client.get(response.url)


def mapping(form, moods=None, kinds=None, **extra):
    """POST data for the preview form: the shown values, changed by `moods` and `kinds`."""
    data = {}
    for number, (_, name, _) in enumerate(form.moods):
        value = (moods or {}).get(name, form[f"mood_{number}"].value())
        data[f"mood_{number}"] = "" if value is None else value
    for number, (_, name, _) in enumerate(form.activities):
        data[f"category_{number}"] = (kinds or {}).get(name, form[f"category_{number}"].value())
        if name in (kinds or {}) or form[f"kind_{number}"].value():
            data[f"kind_{number}"] = "on"
    return {**data, **extra}


class _MappingShown(HTMLParser):
    """What the page's mapping form shows: {name: the selected option's value, or whether a
    tick box is ticked}, and the ids its labels point at and the ids there are."""

    def __init__(self, html):
        super().__init__()
        self.shown, self.labelled, self.ids, self.select = {}, set(), set(), None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.ids.add(attrs.get("id"))
        if tag == "label" and "for" in attrs:
            self.labelled.add(attrs["for"])
        elif tag == "select":
            self.select = attrs["name"]
            self.shown[self.select] = None
        elif tag == "option" and "selected" in attrs:
            self.shown[self.select] = attrs["value"]
        elif tag == "input" and attrs["type"] == "checkbox":
            self.shown[attrs["name"]] = "checked" in attrs


def stored(user):
    days = DayEntry.objects.for_user(user).order_by("date")
    acts = KindnessAct.objects.for_user(user).order_by("date", "pk")
    return (
        [(day.date, day.mood, day.note, day.recorded_on) for day in days],
        [(act.date, act.category, act.description) for act in acts],
    )


KINDS = {"volunteering": "volunteering", "called mom": "checkin"}


def import_common_sample(client, **extra):
    url, page = preview_of(client, sample("daylio_common.csv"))
    client.post(url, mapping(page.context["form"], kinds=KINDS, update="1"))
    page = client.get(url)
    return client.post(url, mapping(page.context["form"], confirm="1", **extra))


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(UPLOAD_URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_upload_page_asks_for_a_csv_file_with_a_label(owner_client):
    page = owner_client.get(UPLOAD_URL).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'for="id_file"' in page and 'accept=".csv,text/csv"' in page
    assert "up to 5 MB" in page


def test_preview_shows_format_dates_counts_moods_and_activities(owner_client, owner):
    DayEntry.objects.save_day(owner, D(2024, 3, 1), mood=4, note="mine", recorded_on=D(2024, 3, 1))
    url, response = preview_of(owner_client, sample("daylio_common.csv"))
    assert url.startswith(UPLOAD_URL) and response.status_code == 200
    page = response.content.decode()
    assert "daylio_export.csv · Daylio CSV export" in page
    assert "1 Mar 2024 – 3 Mar 2024" in page
    assert 'data-count="new-days">2<' in page
    assert 'data-count="acts">0<' in page  # no activity ticked yet
    assert 'data-count="existing-days">1<' in page
    form = response.context["form"]
    assert [(name, form[f"mood_{n}"].value()) for n, (_, name, _) in enumerate(form.moods)] == [
        ("good", 8),
        ("meh", 5),
        ("awful", 1),
    ]
    assert [(name, count) for _, name, count in form.activities] == [
        ("called mom", 2),
        ("volunteering", 2),
        ("reading", 1),
    ]
    assert "Kind of act for “volunteering”" in page
    # Only the preview so far: nothing written.
    assert stored(owner) == ([(D(2024, 3, 1), 4, "mine", D(2024, 3, 1))], [])


def test_mapping_form_updates_the_preview_and_the_import_uses_it(owner_client, owner):
    url, page = preview_of(owner_client, sample("daylio_common.csv"))
    data = mapping(page.context["form"], moods={"good": 9}, kinds=KINDS, confirm="1")
    # Changed choices are shown again before anything is written.
    response = owner_client.post(url, data)
    assert response.status_code == 302 and response.url == url
    assert stored(owner) == ([], [])
    page = owner_client.get(url)
    assert "The preview now uses your changes" in page.content.decode()
    assert 'data-count="acts">3<' in page.content.decode()
    form = page.context["form"]
    assert form["mood_0"].value() == 9 and form["kind_0"].value() is True

    response = owner_client.post(url, mapping(form, confirm="1"))
    assert response.status_code == 302
    assert response.url == reverse("insights:insights") + "?range=all"
    assert stored(owner) == (
        [
            (D(2024, 3, 1), 1, "Couldn't sleep, again.", D(2024, 3, 1)),
            # good is now 9: (9 + 5) / 2 = 7.
            (
                D(2024, 3, 2),
                7,
                "Ran with Sam\nthen coffee\n\nEvening\nLong call, felt calmer",
                D(2024, 3, 2),
            ),
            (D(2024, 3, 3), 9, "Food bank\nSorted tins for two hours", D(2024, 3, 3)),
        ],
        [
            (D(2024, 3, 2), "volunteering", "volunteering"),
            (D(2024, 3, 2), "checkin", "called mom"),
            (D(2024, 3, 3), "volunteering", "volunteering"),
        ],
    )
    insights = owner_client.get(response.url).content.decode()
    assert "Imported 3 days and 3 acts of kindness. From “daylio_export.csv”." in insights
    assert "3 rated days,\n    3 acts of kindness." in insights


def test_the_mapping_form_shows_the_stored_choices_and_then_the_posted_ones(owner_client):
    url, page = preview_of(owner_client, sample("daylio_common.csv"))
    owner_client.post(
        url, mapping(page.context["form"], moods={"good": 9}, kinds=KINDS, update="1")
    )
    form = _MappingShown(owner_client.get(url).content.decode())
    # Moods good, meh, awful; activities called mom, volunteering, reading (most used first).
    assert form.shown == {
        "mood_0": "9",
        "mood_1": "5",
        "mood_2": "1",
        "kind_0": True,
        "category_0": "checkin",
        "kind_1": True,
        "category_1": "volunteering",
        "kind_2": False,
        "category_2": "other",
        "overwrite": False,
    }
    assert form.labelled <= form.ids

    posted = {"mood_0": "11", "mood_1": "", "mood_2": "3", "kind_2": "on"}
    posted |= {"category_0": "gift", "category_1": "meal", "category_2": "listening"}
    form = _MappingShown(owner_client.post(url, {**posted, "update": "1"}).content.decode())
    assert form.shown == {
        "mood_0": None,  # 11 is no choice: none is selected, and the error says why
        "mood_1": "",
        "mood_2": "3",
        "kind_0": False,
        "category_0": "gift",
        "kind_1": False,
        "category_1": "meal",
        "kind_2": True,
        "category_2": "listening",
        "overwrite": False,
    }


def test_a_renamed_mood_must_be_given_a_value_before_importing(owner_client, owner):
    url, page = preview_of(owner_client, sample("daylio_newer.csv"))
    html = page.content.decode()
    assert "Line 2: the mood “super” has no value from 1 to 10." in html
    assert 'data-count="new-days">2<' in html  # the days are counted all the same
    assert 'name="confirm"' not in html and 'name="update"' in html

    response = owner_client.post(url, mapping(page.context["form"], confirm="1"))
    assert response.status_code == 200
    assert "Choose a value from 1 to 10 for “super”." in response.content.decode()
    assert not DayEntry.objects.exists()

    moods = {"super": 10, "geht so": 5, "schlecht": 3}
    owner_client.post(url, mapping(page.context["form"], moods=moods, update="1"))
    page = owner_client.get(url)
    assert 'name="confirm"' in page.content.decode()
    owner_client.post(url, mapping(page.context["form"], confirm="1"))
    assert [(d.date, d.mood) for d in DayEntry.objects.order_by("date")] == [
        (D(2025, 1, 11), 4),
        (D(2025, 1, 12), 10),
    ]


def test_one_bad_row_in_the_middle_blocks_the_whole_file_with_line_numbers(owner_client, owner):
    raw = daylio_file(
        daylio_row(D(2024, 1, 1)),
        daylio_row(D(2024, 1, 2)),
        "2024-01-03,x,x,20:00,good,,,,extra",
        daylio_row(D(2024, 1, 4)),
        daylio_row(D(2024, 1, 5), mood="sparkly"),
    )
    url, page = preview_of(owner_client, raw)
    html = page.content.decode()
    assert "Nothing can be imported until these are fixed" in html
    assert "Line 4: expected 8 cells, found 9." in html
    assert "Line 6: the mood “sparkly” has no value from 1 to 10." in html
    assert 'name="confirm"' not in html

    # A confirm posted anyway (an old tab, a forged form) writes nothing and lists the lines.
    form = page.context["form"]
    response = owner_client.post(url, mapping(form, moods={"sparkly": 9}, confirm="1"))
    owner_client.get(response.url)
    response = owner_client.post(url, mapping(form, moods={"sparkly": 9}, confirm="1"))
    assert response.status_code == 200
    assert "Line 4: expected 8 cells, found 9." in response.content.decode()
    assert stored(owner) == ([], [])
    assert PendingImport.objects.get().imported_at is None


def test_importing_the_same_file_twice_adds_nothing_the_second_time(owner_client, owner):
    import_common_sample(owner_client)
    first = stored(owner)
    url, page = preview_of(owner_client, sample("daylio_common.csv"))
    html = page.content.decode()
    assert 'data-count="new-days">0<' in html and 'data-count="existing-days">3<' in html
    import_common_sample(owner_client)
    assert stored(owner) == first
    import_common_sample(owner_client, overwrite="on")
    assert stored(owner) == first


def test_days_already_in_the_journal_are_left_alone_without_overwrite(owner_client, owner):
    day = D(2024, 3, 2)
    DayEntry.objects.save_day(owner, day, mood=2, note="my own words", recorded_on=D(2024, 3, 5))
    KindnessAct.objects.add(owner, day, "Lent Jo my bike", "practical")
    import_common_sample(owner_client)
    days, acts = stored(owner)
    assert (day, 2, "my own words", D(2024, 3, 5)) in days
    assert [act for act in acts if act[0] == day] == [(day, "practical", "Lent Jo my bike")]
    assert len(days) == 3


def test_overwrite_replaces_mood_and_note_and_adds_the_files_acts(owner_client, owner):
    day = D(2024, 3, 2)
    DayEntry.objects.save_day(owner, day, mood=2, note="my own words", recorded_on=D(2024, 3, 5))
    KindnessAct.objects.add(owner, day, "volunteering", "volunteering")
    KindnessAct.objects.add(owner, day, "Lent Jo my bike", "practical")
    response = import_common_sample(owner_client, overwrite="on")
    days, acts = stored(owner)
    assert (day, 7, "Ran with Sam\nthen coffee\n\nEvening\nLong call, felt calmer", day) in days
    # The matching act is not doubled; the person's own act stays.
    assert [act for act in acts if act[0] == day] == [
        (day, "volunteering", "volunteering"),
        (day, "practical", "Lent Jo my bike"),
        (day, "checkin", "called mom"),
    ]
    message = owner_client.get(response.url).content.decode()
    assert (
        "Imported 2 days and 2 acts of kindness. 1 day already in the journal was overwritten. "
        "From “daylio_export.csv”."
    ) in message


def test_a_second_confirm_of_the_same_upload_changes_nothing(owner_client, owner):
    url, page = preview_of(owner_client, sample("daylio_older.csv"))
    data = mapping(page.context["form"], confirm="1")
    owner_client.post(url, data)
    first = stored(owner)
    response = owner_client.post(url, data)
    assert response.status_code == 302
    assert "has already been imported" in owner_client.get(response.url).content.decode()
    assert stored(owner) == first and len(first[0]) == 3


def test_a_second_upload_of_the_same_file_confirmed_after_the_first_adds_no_copies(
    owner_client, owner
):
    tab_one, page_one = preview_of(owner_client, sample("daylio_common.csv"))
    tab_two, page_two = preview_of(owner_client, sample("daylio_common.csv"))
    for url, page in ((tab_one, page_one), (tab_two, page_two)):
        owner_client.post(url, mapping(page.context["form"], kinds=KINDS, update="1"))
        owner_client.post(url, mapping(owner_client.get(url).context["form"], confirm="1"))
    days, acts = stored(owner)
    assert len(days) == 3 and len(acts) == 3


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", "The file is empty. Choose the CSV file you exported."),
        (b"\xef\xbb\xbf", "bom.csv", "The file is empty. Choose the CSV file you exported."),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "photo.csv", "This is not a CSV file"),
        (b"name,score\nsam,3\n", "scores.csv", "The first line is not the header of a Daylio"),
        # Never stored: PostgreSQL cannot keep a zero byte in text.
        (
            daylio_file(
                daylio_row(D(2024, 1, 2), note="y" * 9000), "2024-01-01,x,x,20:00,good,,,a\0b"
            ),
            "late_nul.csv",
            "Line 3 holds a zero byte (NUL), which is not text.",
        ),
        (daylio_file(",,,,,,,"), "blank.csv", "There are no days to import"),
    ],
)
def test_a_file_that_is_not_an_export_gets_a_clear_message(owner_client, data, name, message):
    response = upload(owner_client, data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PendingImport.objects.exists()


def test_an_unclosed_quote_blocks_the_whole_file_instead_of_swallowing_rows(owner_client, owner):
    url, page = preview_of(
        owner_client,
        daylio_file(
            daylio_row(D(2024, 1, 3)),
            '2024-01-02,x,x,20:00,good,,,"oops no closing quote',
            daylio_row(D(2024, 1, 1)),
        ),
    )
    html = page.content.decode()
    assert "Line 3: a cell here starts with a quote (&quot;) that is never closed" in html
    assert 'name="confirm"' not in html
    owner_client.post(url, mapping(page.context["form"], confirm="1"))
    assert stored(owner) == ([], [])


def test_digits_other_than_0_to_9_in_a_kindjournal_file_are_problems_not_a_500(owner_client):
    header = "date,weekday,mood,acts_count,acts,recorded_on,note"
    data = f"{header}\r\n2024-01-01,Monday,²,²,,2024-01-01,\r\n".encode()
    url, page = preview_of(owner_client, data, "kindjournal.csv")
    html = page.content.decode()
    assert "Line 2: the mood “²” is not a whole number from 1 to 10." in html
    assert "Line 2: acts_count is “²” but the acts cell holds 0 acts." in html


def test_a_file_over_5_mb_is_refused_with_its_size(owner_client):
    row = daylio_row(D(2024, 1, 1), note="x" * 1000)
    # Under the 6 MB a request to /import/ may send (tests/test_request_limits.py).
    data = daylio_file(*[row] * (11 * 512 * 1024 // len(row)))
    response = upload(owner_client, data)
    assert response.status_code == 200
    assert "This file is 5.5\xa0MB; files up to 5 MB can be imported here." in (
        response.content.decode()
    )
    assert not PendingImport.objects.exists()


def test_a_file_of_exactly_5_mb_is_accepted(owner_client):
    # As many rows as a file may have (blank lines would count too), notes filling 5 MB.
    bare = daylio_row(D(2024, 1, 1))
    per_row = (MAX_UPLOAD_BYTES - len(daylio_file())) // ROWS_PER_FILE
    rows = [daylio_row(D(2024, 1, 1), note="x" * (per_row - len(bare) - 1))] * (ROWS_PER_FILE - 1)
    rest = MAX_UPLOAD_BYTES - len(daylio_file(*rows)) - len(bare) - 1
    data = daylio_file(*rows, daylio_row(D(2024, 1, 2), note="x" * rest))
    assert len(data) == MAX_UPLOAD_BYTES
    assert upload(owner_client, data).status_code == 302


def test_a_stranger_gets_404_for_someone_elses_upload(owner_client, owner, stranger, client):
    url, page = preview_of(owner_client, sample("daylio_older.csv"))
    data = mapping(page.context["form"], confirm="1")
    pending = PendingImport.objects.get()
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    assert client.post(reverse("imports:cancel", args=[pending.token])).status_code == 404
    assert not DayEntry.objects.exists()
    assert PendingImport.objects.get().content  # still there for its owner
    client.force_login(owner)
    client.post(url, data)
    assert DayEntry.objects.for_user(owner).count() == 3
    assert not DayEntry.objects.for_user(stranger).exists()


def test_cancel_deletes_the_upload(owner_client):
    url, _ = preview_of(owner_client, sample("daylio_older.csv"))
    token = PendingImport.objects.get().token
    assert owner_client.get(reverse("imports:cancel", args=[token])).status_code == 405
    response = owner_client.post(reverse("imports:cancel", args=[token]))
    assert response.url == UPLOAD_URL
    assert not PendingImport.objects.exists()
    assert owner_client.get(url).status_code == 404


def test_an_expired_upload_asks_for_the_file_again_and_is_deleted(owner_client):
    url, page = preview_of(owner_client, sample("daylio_older.csv"))
    PendingImport.objects.update(
        created_at=PendingImport.objects.get().created_at - PENDING_LIFETIME
    )
    response = owner_client.post(url, mapping(page.context["form"], confirm="1"))
    assert response.url == UPLOAD_URL
    assert "That upload has expired" in owner_client.get(UPLOAD_URL).content.decode()
    assert not PendingImport.objects.exists() and not DayEntry.objects.exists()


def expire(*pendings):
    for pending in pendings:
        PendingImport.objects.filter(pk=pending.pk).update(
            created_at=pending.created_at - PENDING_LIFETIME
        )


@pytest.mark.parametrize(
    ("method", "page"),
    [("get", "upload"), ("get", "preview"), ("post", "preview"), ("post", "cancel")],
)
def test_every_import_page_deletes_everyones_expired_uploads(owner_client, stranger, method, page):
    url, _ = preview_of(owner_client, sample("daylio_older.csv"))
    mine = PendingImport.objects.get()
    other = Client()
    other.force_login(stranger)
    preview_of(other, sample("daylio_common.csv"))
    preview_of(other, sample("daylio_common.csv"))
    old, fresh = PendingImport.objects.filter(user=stranger).order_by("pk")
    expire(old)
    urls = {
        "upload": UPLOAD_URL,
        "preview": url,
        "cancel": reverse("imports:cancel", args=[mine.token]),
    }
    getattr(owner_client, method)(urls[page])
    assert not PendingImport.objects.filter(pk=old.pk).exists()
    assert PendingImport.objects.filter(pk=fresh.pk).exists()


def test_the_purge_is_one_query(owner, django_assert_num_queries):
    for _ in range(3):
        PendingImport.objects.create(user=owner, filename="a.csv", format="daylio", content="x")
    expire(*PendingImport.objects.all())
    with django_assert_num_queries(1):
        assert services.purge_expired() == 3


def test_an_upload_purged_meanwhile_asks_for_the_file_again(owner_client, stranger):
    url, page = preview_of(owner_client, sample("daylio_older.csv"))
    expire(PendingImport.objects.get())
    # Someone else's upload deletes it before the person comes back.
    other = Client()
    other.force_login(stranger)
    preview_of(other, sample("daylio_common.csv"))
    assert not PendingImport.objects.filter(user__username="alice").exists()
    confirm = mapping(page.context["form"], confirm="1")
    for send in (lambda: owner_client.get(url), lambda: owner_client.post(url, confirm)):
        response = send()
        assert response.status_code == 302 and response.url == UPLOAD_URL
        assert "That upload has expired" in owner_client.get(UPLOAD_URL).content.decode()
    assert not DayEntry.objects.exists()


def test_a_stranger_gets_404_for_any_token_that_is_not_their_upload(owner_client, stranger):
    url, _ = preview_of(owner_client, sample("daylio_older.csv"))
    other = Client()
    other.force_login(stranger)
    # The same answer for a live token, an expired one and one that never existed.
    assert other.get(url).status_code == 404
    expire(PendingImport.objects.get())
    assert other.get(url).status_code == 404
    assert other.get(reverse("imports:preview", args=[uuid.uuid4()])).status_code == 404
    assert owner_client.get(reverse("imports:preview", args=[uuid.uuid4()])).status_code == 404


def test_an_import_keeps_nothing_of_the_file_but_what_stops_a_second_one(owner_client, owner):
    url, page = preview_of(owner_client, sample("daylio_common.csv"))
    owner_client.post(url, mapping(page.context["form"], kinds=KINDS, update="1"))
    assert PendingImport.objects.get().kind_activities  # the choices wait with the file
    owner_client.post(url, mapping(owner_client.get(url).context["form"], confirm="1"))
    pending = PendingImport.objects.get()
    assert (pending.content, pending.filename, pending.mood_map, pending.kind_activities) == (
        "",
        "",
        {},
        {},
    )
    assert pending.imported_at is not None


def ready_to_confirm(client, data):
    """(preview URL, confirm POST data) for `data`, with "volunteering" ticked as kind."""
    url, page = preview_of(client, data)
    post = mapping(page.context["form"], kinds={"volunteering": "volunteering"}, update="1")
    client.post(url, post)
    return url, mapping(client.get(url).context["form"], confirm="1")


def test_the_number_of_queries_does_not_grow_with_the_number_of_days(
    owner_client, owner, django_assert_num_queries
):
    def file_of(days, start):
        return daylio_file(
            *(
                daylio_row(start + datetime.timedelta(days=n), activities="volunteering | tv")
                for n in range(days)
            )
        )

    url, post = ready_to_confirm(owner_client, file_of(3, D(2023, 1, 1)))
    with CaptureQueriesContext(connection) as small:
        assert owner_client.post(url, post).status_code == 302
    small_count = len(small)  # now: the next request clears the query log
    # 100 days and 100 acts still fit in one INSERT each, even under SQLite's 999 parameters.
    url, post = ready_to_confirm(owner_client, file_of(100, D(2024, 1, 1)))
    with django_assert_num_queries(small_count):
        assert owner_client.post(url, post).status_code == 302
    assert DayEntry.objects.count() == 103 and KindnessAct.objects.count() == 103


def test_settings_and_an_empty_history_link_to_the_import(owner_client):
    assert f'href="{UPLOAD_URL}"' in owner_client.get(reverse("account_settings")).content.decode()
    assert f'href="{UPLOAD_URL}"' in owner_client.get(reverse("journal:history")).content.decode()


def test_posting_no_file_asks_for_one(owner_client):
    response = owner_client.post(UPLOAD_URL)
    assert "Choose the CSV file to import." in response.content.decode()


def test_deleting_the_account_deletes_its_pending_upload_too(owner_client, owner):
    preview_of(owner_client, sample("daylio_common.csv"))
    assert PendingImport.objects.filter(user=owner).exists()
    delete_account(owner)
    assert not PendingImport.objects.exists()


def test_a_wrong_mapping_value_is_shown_beside_its_input_and_tied_to_it(owner_client):
    url, page = preview_of(owner_client, sample("daylio_common.csv"))
    data = mapping(page.context["form"], update="1")
    data["mood_0"] = "11"
    page = owner_client.post(url, data).content.decode()
    assert 'aria-describedby="id_mood_0_error"' in page
    assert page.count('id="id_mood_0_error"') == 1
    assert 'aria-invalid="true"' in page
