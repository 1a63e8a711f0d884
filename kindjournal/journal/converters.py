import datetime


class IsoDateConverter:
    """YYYY-MM-DD in a URL; an impossible date (2025-02-30) matches nothing, so it is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return datetime.date.fromisoformat(value)  # ValueError → no match → 404

    def to_url(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else value
