"""When a daily reminder is next due: pure date arithmetic in the person's own time zone.

No Django here. A reminder is "at `at` local time, on these weekdays"; the moment is worked out
in the zone each time, so a daylight-saving change never shifts it by an hour:

- a local time that does not exist that day (the spring-forward gap) fires at the first moment
  after the gap (02:30 in New York on 2026-03-08 fires at 03:00 EDT);
- a local time that happens twice (the autumn fold) fires once, at its first occurrence;
- at most one reminder per local day: `after_day` is the last day already reminded (or skipped).
"""

import datetime

UTC = datetime.UTC
ALL_WEEKDAYS = frozenset(range(7))  # 0 Monday ... 6 Sunday, as date.weekday()
# A reminder this late (the sender was down) is skipped, not sent: "log today" at 3 a.m. helps
# nobody.
LATE_LIMIT = datetime.timedelta(hours=2)


def moment(day, at, zone):
    """The UTC instant of local time `at` on `day` in `zone`; for a time inside a gap, the first
    instant after the gap; for a time that happens twice, the first of the two."""
    wall = datetime.datetime.combine(day, at)
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # In a gap: fold=1 reads the wall time with the offset after the change, fold=0 with the one
    # before, and the change itself lies between the two instants. Find the first instant whose
    # wall clock has reached `wall` (the wall clock only moves forward across a gap).
    low = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low, high = sorted((low, first))
    while high - low > datetime.timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def next_due(after, at, weekdays, zone, after_day=None):
    """(instant, local day) of the first reminder strictly after the instant `after`, on one of
    `weekdays`, on a local day later than `after_day` (if given); None when `weekdays` is empty.
    """
    if not weekdays:
        return None
    day = after.astimezone(zone).date() - datetime.timedelta(days=1)
    if after_day is not None and after_day >= day:
        day = after_day
    # Eight days always reach every weekday once more; a day skipped by the calendar itself
    # (Samoa, 2011-12-30) still leaves the next week.
    for _ in range(16):
        day += datetime.timedelta(days=1)
        if day.weekday() not in weekdays:
            continue
        when = moment(day, at, zone)
        if when > after:
            return when, day
    return None


def is_late(due, now):
    """Whether a reminder due at `due` is too late to send at `now` (skipped instead)."""
    return now - due > LATE_LIMIT
