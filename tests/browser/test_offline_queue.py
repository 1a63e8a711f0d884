"""KindJournalQueue (static/js/queue.js) on its own, in the browser's real IndexedDB: what it
keeps, in which order, for whom, how much, and what sending does with each server answer."""

import json

import pytest

from tests.browser.conftest import only_sends_failed, page_failing_only_sends

QUEUE = "KindJournalQueue"


@pytest.fixture
def queue_page(context):
    page, errors = page_failing_only_sends(context)
    page.goto("/accounts/login/")  # any page: each loads the queue script
    page.wait_for_function(f"() => !!window.{QUEUE}")
    yield page
    assert only_sends_failed(errors)


def keep(page, **entry):
    return page.evaluate(f"entry => {QUEUE}.keep(entry)", entry)


def waiting(page, account):
    return page.evaluate(f"account => {QUEUE}.waiting(account)", account)


def mood(account=1, date="2026-12-01", value=5, note=""):
    return {"kind": "mood", "account": account, "date": date, "mood": value, "note": note}


def act(account=1, date="2026-12-01", description="Texted Sam"):
    return {
        "kind": "act",
        "account": account,
        "date": date,
        "description": description,
        "category": "checkin",
    }


def test_each_kept_entry_gets_its_own_key_and_the_moment_it_was_made(queue_page):
    first = keep(queue_page, **act())
    second = keep(queue_page, **act())
    assert first["key"] != second["key"]
    assert len(first["key"]) == 36
    assert first["made_at"] <= second["made_at"]


def test_entries_wait_oldest_first(queue_page):
    for description in ("one", "two", "three"):
        keep(queue_page, **act(description=description))
        queue_page.wait_for_timeout(5)
    assert [entry["description"] for entry in waiting(queue_page, 1)] == ["one", "two", "three"]


def test_a_later_mood_for_the_same_day_replaces_the_one_waiting(queue_page):
    keep(queue_page, **mood(value=3))
    keep(queue_page, **mood(value=8))
    keep(queue_page, **mood(date="2026-11-30", value=4))
    keep(queue_page, **act())
    kept = waiting(queue_page, 1)
    assert sorted((entry["kind"], entry["date"], entry.get("mood")) for entry in kept) == [
        ("act", "2026-12-01", None),
        ("mood", "2026-11-30", 4),
        ("mood", "2026-12-01", 8),
    ]


def test_each_account_sees_only_its_own_entries(queue_page):
    keep(queue_page, **act(account=1, description="mine"))
    keep(queue_page, **mood(account=2))
    assert [entry["description"] for entry in waiting(queue_page, 1)] == ["mine"]
    assert queue_page.evaluate(f"{QUEUE}.countOthers(1)") == 1
    queue_page.evaluate(f"{QUEUE}.forget(1)")
    assert waiting(queue_page, 1) == []
    assert len(waiting(queue_page, 2)) == 1


def test_forgetting_an_account_forgets_it_as_the_last_one_logged_in(queue_page):
    queue_page.evaluate(f"{QUEUE}.rememberAccount({{id: 1, name: 'alice', timeZone: 'UTC'}})")
    assert queue_page.evaluate(f"{QUEUE}.lastAccount()") == {
        "id": 1,
        "name": "alice",
        "timeZone": "UTC",
    }
    queue_page.evaluate(f"{QUEUE}.forget(2)")
    assert queue_page.evaluate(f"{QUEUE}.lastAccount()")["id"] == 1
    queue_page.evaluate(f"{QUEUE}.forget(1)")
    assert queue_page.evaluate(f"{QUEUE}.lastAccount()") is None


def test_a_device_keeps_at_most_the_limit_of_entries_per_account(queue_page):
    limit = queue_page.evaluate(f"{QUEUE}.LIMIT")
    queue_page.evaluate(
        f"""async (limit) => {{
          for (let i = 0; i < limit; i++) {{
            await {QUEUE}.keep({{kind: "act", account: 1, date: "2026-12-01",
                                 description: "act " + i, category: "other"}});
          }}
        }}""",
        limit,
    )
    refused = queue_page.evaluate(
        f"entry => {QUEUE}.keep(entry).then(() => null, error => error.name)", act()
    )
    assert refused == "QueueFull"
    assert len(waiting(queue_page, 1)) == limit
    keep(queue_page, **act(account=2))  # another account's room is its own


def send(page, account=1):
    return page.evaluate(
        f"account => {QUEUE}.send({{account, url: '/offline/send/',"
        f" csrfToken: () => Promise.resolve('token')}})",
        account,
    )


def answer_with(page, answers, bodies):
    """The send endpoint answers each request with the next (status, JSON) of `answers`."""

    def fulfil(route):
        bodies.append(json.loads(route.request.post_data))
        status, body = answers.pop(0)
        route.fulfill(status=status, json=body)

    page.route("**/offline/send/", fulfil)


def test_sending_goes_oldest_first_and_drops_each_entry_the_server_settled(queue_page):
    for description in ("first", "second", "third"):
        keep(queue_page, **act(description=description))
        queue_page.wait_for_timeout(5)
    bodies = []
    answers = [
        (200, {"status": "saved", "message": "ok"}),
        (200, {"status": "duplicate", "message": "ok"}),
        (400, {"status": "invalid", "message": "bad"}),
    ]
    answer_with(queue_page, answers, bodies)
    summary = send(queue_page)
    assert [body["description"] for body in bodies] == ["first", "second", "third"]
    assert [result["status"] for result in summary["results"]] == ["saved", "duplicate", "invalid"]
    assert summary["stopped"] is None
    assert waiting(queue_page, 1) == []
    assert all(body["sent_at"] >= body["made_at"] for body in bodies)


@pytest.mark.parametrize(
    ("status", "body", "stopped"),
    [
        (500, None, "error"),
        (409, {"status": "other_account", "message": "no"}, "other_account"),
    ],
)
def test_sending_stops_at_the_first_entry_the_server_did_not_settle(
    queue_page, status, body, stopped
):
    keep(queue_page, **act(description="first"))
    keep(queue_page, **act(description="second"))
    bodies = []
    answer_with(queue_page, [(status, body)], bodies)
    assert send(queue_page)["stopped"] == stopped
    assert len(bodies) == 1
    assert len(waiting(queue_page, 1)) == 2


def test_sending_without_a_connection_keeps_everything(queue_page):
    keep(queue_page, **act())
    queue_page.route("**/offline/send/", lambda route: route.abort())
    assert send(queue_page) == {"results": [], "stopped": "offline"}
    assert len(waiting(queue_page, 1)) == 1


def test_a_redirect_to_log_in_keeps_the_entries_for_later(queue_page):
    keep(queue_page, **act())
    queue_page.route(
        "**/offline/send/",
        lambda route: route.fulfill(status=302, headers={"Location": "/accounts/login/"}),
    )
    assert send(queue_page)["stopped"] == "login"
    assert len(waiting(queue_page, 1)) == 1


def take_outcomes(page, account=1):
    return page.evaluate(f"account => {QUEUE}.takeOutcomes(account)", account)


def test_each_answer_is_kept_with_its_account_and_taken_once(queue_page):
    keep(queue_page, **act(description="first"))
    keep(queue_page, **act(account=2, description="theirs"))
    answers = [
        (200, {"status": "saved", "message": "Sent: first"}),
        (200, {"status": "saved", "message": "Sent: theirs"}),
    ]
    answer_with(queue_page, answers, [])
    send(queue_page)
    send(queue_page, account=2)
    taken = take_outcomes(queue_page)
    assert [(o["status"], o["message"]) for o in taken] == [("saved", "Sent: first")]
    assert take_outcomes(queue_page) == []  # a second tab finds nothing left to show
    assert [o["message"] for o in take_outcomes(queue_page, account=2)] == ["Sent: theirs"]


def test_a_refused_reused_key_is_settled_and_not_sent_again(queue_page):
    keep(queue_page, **act())
    answer_with(queue_page, [(409, {"status": "reused", "message": "Not saved: ..."})], [])
    assert [r["status"] for r in send(queue_page)["results"]] == ["reused"]
    assert waiting(queue_page, 1) == []


def refused(page, account=1):
    return page.evaluate(f"account => {QUEUE}.refused(account)", account)


def test_an_entry_refused_as_invalid_stays_with_its_reason_and_is_not_sent_again(queue_page):
    kept = keep(queue_page, **act(description="x" * 201))
    bodies = []
    problem = "Ensure this value has at most 200 characters (it has 201)."
    answer_with(
        queue_page,
        [(400, {"status": "invalid", "message": f"Not saved: ... {problem}", "problem": problem})],
        bodies,
    )
    assert [r["status"] for r in send(queue_page)["results"]] == ["invalid"]
    assert waiting(queue_page, 1) == []
    [entry] = refused(queue_page)
    assert (entry["key"], entry["description"], entry["refused"]["problem"]) == (
        kept["key"],
        "x" * 201,
        problem,
    )
    assert take_outcomes(queue_page) == []  # the page lists it; no second message
    assert send(queue_page) == {"results": [], "stopped": None}
    assert len(bodies) == 1


def test_a_refused_entry_neither_fills_the_queue_nor_is_replaced_and_goes_only_when_dismissed(
    queue_page,
):
    keep(queue_page, **mood(value=3))
    problem = "Mood is a whole number from 1 (worst) to 10 (best)."
    answer_with(queue_page, [(400, {"status": "invalid", "message": "", "problem": problem})], [])
    send(queue_page)
    keep(queue_page, **mood(value=8))  # the same day: replaces only a mood still waiting
    assert [entry["mood"] for entry in waiting(queue_page, 1)] == [8]
    [entry] = refused(queue_page)
    assert entry["mood"] == 3
    assert queue_page.evaluate(f"{QUEUE}.countOthers(2)") == 1  # the one waiting

    queue_page.evaluate(f"key => {QUEUE}.dismiss(2, key)", entry["key"])  # not that account's
    queue_page.evaluate(f"key => {QUEUE}.dismiss(1, key)", waiting(queue_page, 1)[0]["key"])
    assert len(refused(queue_page)) == 1
    assert len(waiting(queue_page, 1)) == 1  # a waiting entry is not dismissed
    queue_page.evaluate(f"key => {QUEUE}.dismiss(1, key)", entry["key"])
    assert refused(queue_page) == []


def test_an_entry_can_keep_the_key_its_form_already_had(queue_page):
    key = "0b8e0c1e-4f7a-4c55-9f0e-3a1c2d4e5f60"
    assert keep(queue_page, **act(), key=key)["key"] == key


def test_forgetting_an_account_forgets_its_answers_not_yet_shown(queue_page):
    keep(queue_page, **act())
    answer_with(queue_page, [(200, {"status": "saved", "message": "Sent"})], [])
    send(queue_page)
    queue_page.evaluate(f"{QUEUE}.forget(1)")
    assert take_outcomes(queue_page) == []
