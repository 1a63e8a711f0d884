"""The calendar's queries: three, whatever the amount of data (tests/test_calendar.py)."""

import datetime

from django.db.models import Count

from kindjournal.journal.models import DayEntry, KindnessAct, logged_dates


def year_data(user, year):
    """({date: mood}, {date: acts logged}) for the person's days in `year`.

    Served by the (user, date) unique constraint of days and the (user, date) index of acts.
    """
    days = (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    moods = dict(
        DayEntry.objects.for_user(user)
        .filter(date__range=days)
        .order_by()
        .values_list("date", "mood")
    )
    acts = dict(
        KindnessAct.objects.for_user(user)
        .filter(date__range=days)
        .order_by()
        .values_list("date")
        .annotate(count=Count("pk"))
    )
    return moods, acts


def first_logged_year(user):
    """The year of the person's first mood or act, or None if they have logged nothing."""
    first = logged_dates(user).order_by("date").first()
    return first.year if first else None
