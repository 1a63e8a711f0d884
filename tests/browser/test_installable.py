"""Chromium itself judges the app installable: a person can add it to their home screen."""


def installability_errors(context, page):
    cdp = context.new_cdp_session(page)
    return cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]


def test_chromium_finds_the_app_installable(persistent_context):
    context = persistent_context.context
    page = context.new_page()
    page.goto("/")
    # Chromium reads the manifest and its icons once the page has loaded.
    page.wait_for_load_state("networkidle")
    assert installability_errors(context, page) == []
