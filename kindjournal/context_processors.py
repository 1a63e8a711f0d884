from kindjournal import cdn


def cdn_assets(request):
    """`cdn.bootstrap_css.url`, `cdn.chartjs.integrity`, ... for the templates' CDN tags."""
    return {"cdn": cdn.ASSETS}
