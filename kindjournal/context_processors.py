from kindjournal import cdn


def cdn_assets(request):
    """`cdn.bootstrap_css.url`, `cdn.chartjs.integrity`, ... for `templates/_cdn_*.html`."""
    return {"cdn": cdn.ASSETS}
