"""Plain-language sentences about an Insights result: the page's summary card and the therapist
report (exports) both show them.

Pure, no Django: `summary_sentences(result) -> list[str]` takes the dict `data.insights_for()`
(or `stats.compute()`) returns. Most important first; the last sentence is always the reminder
that this is a correlation in the person's own data, not proof of cause.
"""

from kindjournal.insights.stats import MIN_GROUP_DAYS

# A gap in kind-day share between after-high-mood and after-low-mood days at least this large
# gets a sentence, so nobody reads a one-way story into what may be a two-way link.
LARGE_REVERSE_GAP = 0.15

CORRELATION_NOTE = (
    "This is a correlation in your own data, not proof of cause: kindness may lift your mood, "
    "a better mood may make kindness easier, or something else may drive both."
)
EXPECTATION_NOTE = (
    "Research finds the lift from kindness is small, so months of logging are normal before it "
    "shows clearly."
)


def summary_sentences(result):
    """The summary as a list of sentences (strings), for `result` from `insights_for()`."""
    if result["counts"]["rated_days"] == 0:
        return [
            "There are no rated days in this period yet, so there is nothing to compare.",
            CORRELATION_NOTE,
        ]
    return [
        *_same_day(result["same_day"], result["counts"]),
        *_next_day(result["next_day"], result["counts"]),
        *_dose(result["dose"]),
        *_reverse(result["reverse"]),
        *_precision(result["days_for_half_point"], result["same_day"]),
        CORRELATION_NOTE,
    ]


def _same_day(same_day, counts):
    if same_day is None:
        return [
            "To compare kind days with other days, KindJournal needs at least "
            f"{MIN_GROUP_DAYS} rated days of each; so far: {_days(counts['kind_days'])} with an "
            f"act of kindness and {counts['other_days']} without. " + days_still_needed(counts)
        ]
    kind, other = same_day["kind_days"], same_day["other_days"]
    opening = (
        f"On the {_days(kind)} you did something kind, your mood averaged "
        f"{_number(same_day['kind_mean'])}, "
    )
    if same_day["ci95"] is None:
        return [
            opening + f"and on the other {_days(other)} {_number(same_day['other_mean'])}. "
            "Your mood was the same on every day of each group, so there is no spread to "
            "estimate a 95% interval or p-value from."
        ]
    return [
        opening
        + f"{_gap(same_day['difference'])} on the other {_days(other)} "
        + f"({_interval(same_day['ci95'])}).",
        *_unclear(same_day["ci95"]),
    ]


def _next_day(next_day, counts):
    if next_day is None:
        return [
            "The next-day comparison needs at least "
            f"{MIN_GROUP_DAYS} pairs of consecutive rated days starting with each kind of day; "
            f"so far {counts['pairs_after_kind']} start with a kind day and "
            f"{counts['pairs_after_other']} with another day. " + pairs_still_needed(counts)
        ]
    opening = f"On the day after a kind day, your mood averaged {_number(next_day['kind_mean'])}"
    if next_day["ci95"] is None:
        return [
            opening + f", and after other days {_number(next_day['other_mean'])}; with no "
            "variation in either group there is no 95% interval."
        ]
    return [
        opening + f", {_gap(next_day['difference'])} the day after other days "
        f"({_interval(next_day['ci95'])}, {_pairs(next_day)}).",
        *_unclear(next_day["ci95"]),
    ]


def _dose(dose):
    if dose is None:
        return []
    if dose["spearman_r"] is None:
        return [
            f"Across {_days(dose['n'])} your number of acts or your mood never changed, so there "
            "is no correlation between them to compute yet."
        ]
    r = dose["spearman_r"]
    if abs(r) < 0.1:
        trend = "the number of acts and your mood hardly moved together"
    else:
        strength = "slightly" if abs(r) < 0.3 else "moderately" if abs(r) < 0.5 else "clearly"
        direction = "higher" if r > 0 else "lower"
        trend = f"days with more acts had {strength} {direction} moods"
    return [f"Across {_days(dose['n'])}, {trend} (Spearman r = {r:.2f})."]


def _reverse(reverse):
    if reverse is None:
        return []
    high = reverse["after_high_mood_kind_share"]
    low = reverse["after_low_mood_kind_share"]
    if abs(high - low) < LARGE_REVERSE_GAP:
        return []
    return [
        "Mood and kindness may also work the other way round: after a day with your mood at or "
        f"above your median ({_number(reverse['median_mood'])}), the next day was a kind day "
        f"{_percent(high)} of the time; after a lower-mood day, {_percent(low)}."
    ]


def _precision(days_needed, same_day):
    if days_needed:
        return [
            f"About {_days(days_needed, 'more rated day')} would narrow the kind-day difference "
            "to within about ±0.5 mood points. " + EXPECTATION_NOTE
        ]
    # The formula says 0 when moods never vary (sd 0), but that is no interval at all: claim
    # precision only where an interval was actually computed.
    if days_needed == 0 and same_day is not None and same_day["ci95"] is not None:
        return [
            "You have logged enough days for the kind-day difference to be known to within "
            "about ±0.5 mood points."
        ]
    return [EXPECTATION_NOTE] if same_day is None else []


def _unclear(ci95):
    if ci95[0] <= 0 <= ci95[1]:
        return ["That interval includes zero, so your data do not show a clear difference yet."]
    return []


def days_still_needed(counts):
    """What the same-day comparison still needs, e.g. "It needs 2 more kind days." (also shown
    on the Insights page's comparison card)."""
    needs = []
    if counts["kind_days"] < MIN_GROUP_DAYS:
        needs.append(_days(MIN_GROUP_DAYS - counts["kind_days"], "more kind day"))
    if counts["other_days"] < MIN_GROUP_DAYS:
        needs.append(_days(MIN_GROUP_DAYS - counts["other_days"], "more day") + " without acts")
    return f"It needs {' and '.join(needs)}." if needs else ""


def pairs_still_needed(counts):
    """What the next-day comparison still needs, e.g. "It needs 3 more pairs starting with a
    kind day." (also shown on the Insights page's next-day card)."""
    needs = []
    if counts["pairs_after_kind"] < MIN_GROUP_DAYS:
        needs.append(
            _days(MIN_GROUP_DAYS - counts["pairs_after_kind"], "more pair")
            + " starting with a kind day"
        )
    if counts["pairs_after_other"] < MIN_GROUP_DAYS:
        needs.append(
            _days(MIN_GROUP_DAYS - counts["pairs_after_other"], "more pair")
            + " starting with another day"
        )
    return f"It needs {' and '.join(needs)}." if needs else ""


def _gap(difference):
    if round(difference, 1) == 0:
        return "about the same as"
    return f"{_number(abs(difference))} {'higher' if difference > 0 else 'lower'} than"


def _interval(ci95):
    return f"95% interval {_number(ci95[0])} to {_number(ci95[1])}"


def _pairs(comparison):
    return f"{comparison['kind_days'] + comparison['other_days']} pairs of consecutive days"


def _days(count, noun="day"):
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _number(value):
    """One decimal, with a real minus sign and no "-0.0"."""
    value = round(value, 1) + 0.0
    return f"{value:.1f}".replace("-", "\N{MINUS SIGN}")


def _percent(share):
    return f"{round(share * 100)}%"
