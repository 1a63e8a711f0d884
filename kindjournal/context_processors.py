from kindjournal import cdn
from kindjournal.offline import appearance


def cdn_assets(request):
    """`cdn.bootstrap_css.url`, `cdn.chartjs.integrity`, ... for the templates' CDN tags."""
    return {"cdn": cdn.ASSETS}


def app_shell(request):
    """The installed app's colours, for base.html's theme-color tags."""
    return {"theme_colors": appearance.THEME_COLORS}
