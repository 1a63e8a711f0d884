"""How the installed app looks to the phone: its names, colours and icons.

Read by the web app manifest (views.manifest) and by base.html's theme-color tags (through the
`app_shell` context processor), so the address bar, the splash screen and the pages agree.
"""

NAME = "KindJournal"
SHORT_NAME = "KindJournal"
DESCRIPTION = "A private mood and kindness journal."
# Bootstrap 5.3's page background in its light and dark colour modes (static/js/theme.js picks
# one from the system setting). The manifest has room for one value, so it takes the light one.
THEME_COLORS = {"light": "#ffffff", "dark": "#212529"}

# (static path, size, purpose) for the manifest; scripts/make_icons.py draws the PNGs.
ICONS = [
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/icon-maskable-512.png", "512x512", "maskable"),
    ("icons/icon.svg", "any", "any"),
]
FAVICON = "icons/favicon.ico"
