"""Every page a person can reach, logged out and logged in, loads cleanly under the strict
Content-Security-Policy: no violation, no console error, no request to anyone but us and the
exact CDN files. The pages come from the URL registry (tests/url_registry.py) plus every
link found on them."""

import datetime
from collections import Counter
from urllib.parse import urldefrag, urlsplit

from django.urls import resolve

from kindjournal import cdn
from kindjournal.journal.models import DayEntry, KindnessAct
from tests.url_registry import page_urls

# Recorded in the page itself, before any of its scripts run.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""
PER_ROUTE = 3


def is_html_page(client, url):
    """Whether `url` answers this client's GET with a page (not a download or a redirect)."""
    response = client.get(url)
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


def tour(page, client, live_server, start):
    """Visit `start` and the same-site links found on the way, a few per URL pattern (the day
    pages link on and on), as the browser's user; `client` is the same person, in-process.
    Return the paths visited."""
    queue, visited, violations = list(start), [], {}
    per_route = Counter()
    while queue:
        path = queue.pop(0)
        route = resolve(urlsplit(path).path).route
        if path in visited or per_route[route] == PER_ROUTE or not is_html_page(client, path):
            continue
        per_route[route] += 1
        visited.append(path)
        response = page.goto(path)
        assert response.status == 200, path
        violations[path] = page.evaluate("window.cspViolations")
        for link in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            url = urlsplit(urldefrag(link).url)
            if f"{url.scheme}://{url.netloc}" == live_server.url:
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
    assert {path: found for path, found in violations.items() if found} == {}
    return visited


def some_journal(owner):
    today = owner.profile.today()
    for offset in range(40):
        day = today - datetime.timedelta(days=offset)
        DayEntry.objects.create(user=owner, date=day, mood=1 + offset % 10, recorded_on=day)
        KindnessAct.objects.create(user=owner, date=day, description=f"Helped {offset}")


def test_every_page_loads_under_the_content_security_policy(
    page, context, live_server, client, logged_in, owner
):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    context.add_init_script(RECORD_VIOLATIONS)
    some_journal(owner)

    anonymous = tour(page, client, live_server, page_urls(owner, logged_in=False))
    logged_in(owner)  # the browser and `client` both
    members = tour(page, client, live_server, page_urls(owner, logged_in=True))

    assert {"/", "/accounts/login/", "/accounts/signup/"} <= set(anonymous)
    assert {"/", "/history/", "/history/?page=2", "/accounts/settings/", "/calendar/"} <= set(
        members
    )
    elsewhere = {url for url in requested if not url.startswith(live_server.url)}
    assert elsewhere <= {asset.url for asset in cdn.ASSETS.values()}
    assert cdn.ASSETS["bootstrap_css"].url in elsewhere
