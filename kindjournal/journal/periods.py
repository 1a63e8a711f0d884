"""Periods people choose by name ("the last 30 days"), shared by Insights and Export."""

import datetime


def last_days(days, today):
    """(start, end) of the `days` calendar days ending `today` (the person's local date),
    both included: the last 30 days end today and start 29 days before it."""
    return today - datetime.timedelta(days=days - 1), today
