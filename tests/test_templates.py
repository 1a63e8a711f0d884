import re
from pathlib import Path

from django.conf import settings

TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))


def test_no_template_has_inline_script_style_or_event_handlers():
    """The Content-Security-Policy allows no inline code, so none may creep into a template."""
    offenders = []
    for template in TEMPLATES:
        text = template.read_text()
        if template.name == "500.html":  # standalone page, rendered without the base
            continue
        for pattern in [r"<script(?![^>]*\bsrc=)[^>]*>", r"<style", r"\sstyle=", r"\son[a-z]+="]:
            if re.search(pattern, text):
                offenders.append(f"{template.name}: {pattern}")
    assert TEMPLATES
    assert offenders == []


def test_json_data_scripts_are_allowed_only_through_json_script():
    for template in TEMPLATES:
        assert 'type="application/json"' not in template.read_text(), template.name
