"""The Insights summary in plain language (kindjournal/insights/summary.py)."""

import datetime

from kindjournal.insights.stats import Day, compute
from kindjournal.insights.summary import CORRELATION_NOTE, summary_sentences

START = datetime.date(2026, 1, 1)


def journal(*moods_and_acts):
    """A result for consecutive days from START, one (mood, acts) each."""
    days = [
        Day(START + datetime.timedelta(days=i), mood, acts, ("meal",) if acts else ())
        for i, (mood, acts) in enumerate(moods_and_acts)
    ]
    return compute(days, START, START + datetime.timedelta(days=len(days) - 1))


def comparison(**fields):
    return {
        "kind_days": 41,
        "other_days": 38,
        "kind_mean": 7.1,
        "other_mean": 6.2,
        "difference": 0.9,
        "ci95": [0.4, 1.4],
        "p_value": 0.001,
        "days_for_half_point": 0,
        **fields,
    }


def result_with(**fields):
    counts = {
        "rated_days": 79,
        "kind_days": 41,
        "other_days": 38,
        "acts": 60,
        "pairs": 70,
        "pairs_after_kind": 36,
        "pairs_after_other": 34,
    }
    return {
        "same_day": comparison(),
        "next_day": None,
        "dose": None,
        "reverse": None,
        "days_for_half_point": 0,
        "counts": counts,
        **fields,
    }


def test_the_same_day_sentence_reads_like_the_issues_example():
    sentences = summary_sentences(result_with())
    assert sentences[0] == (
        "On the 41 days you did something kind, your mood averaged 7.1, 0.9 higher than on "
        "the other 38 days (95% interval 0.4 to 1.4)."
    )
    assert "clear difference" not in " ".join(sentences)


def test_an_interval_that_includes_zero_says_there_is_no_clear_difference_yet():
    result = result_with(same_day=comparison(difference=-0.2, ci95=[-0.9, 0.5]))
    sentences = summary_sentences(result)
    assert "0.2 lower than on the other 38 days (95% interval −0.9 to 0.5)." in sentences[0]
    assert sentences[1] == (
        "That interval includes zero, so your data do not show a clear difference yet."
    )


def test_the_last_sentence_is_always_the_correlation_note():
    for result in (
        result_with(),
        journal(),
        journal((5, 0)),
        journal(*[(6, i % 2) for i in range(20)]),
    ):
        assert summary_sentences(result)[-1] == CORRELATION_NOTE
    assert "not proof of cause" in CORRELATION_NOTE


def test_too_few_days_says_how_many_more_of_which_kind():
    result = journal((7, 1), (6, 0), (8, 2), (5, 0), (7, 1), (6, 0), (5, 0), (4, 0))
    first = summary_sentences(result)[0]
    assert first == (
        "To compare kind days with other days, KindJournal needs at least 5 rated days of each; "
        "so far: 3 days with an act of kindness and 5 without. It needs 2 more kind days."
    )


def test_too_few_kind_and_other_days_names_both():
    first = summary_sentences(journal((7, 1), (6, 0)))[0]
    assert first.endswith("It needs 4 more kind days and 4 more days without acts.")


def test_constant_moods_explain_why_there_is_no_interval_and_never_say_nan():
    sentences = summary_sentences(journal(*[(6, i % 2) for i in range(20)]))
    text = " ".join(sentences)
    assert "no spread to estimate a 95% interval or p-value from" in text
    assert "never changed, so there is no correlation" in text
    assert "nan" not in text.lower()


def test_the_reverse_direction_is_mentioned_only_when_the_gap_is_large():
    reverse = {
        "after_high_mood_kind_share": 0.62,
        "after_low_mood_kind_share": 0.38,
        "pairs": 70,
        "median_mood": 6.0,
    }
    text = " ".join(summary_sentences(result_with(reverse=reverse)))
    assert "other way round" in text
    assert "at or above your median (6.0), the next day was a kind day 62% of the time" in text
    assert "after a lower-mood day, 38%" in text
    small_gap = {**reverse, "after_low_mood_kind_share": 0.55}
    assert "other way round" not in " ".join(summary_sentences(result_with(reverse=small_gap)))


def test_precision_sets_the_expectation_that_months_of_logging_are_normal():
    text = " ".join(summary_sentences(result_with(days_for_half_point=84)))
    assert "About 84 more rated days would narrow the kind-day difference" in text
    assert "months of logging are normal" in text
    assert "known to within about ±0.5" in " ".join(summary_sentences(result_with()))


def test_dose_sentence_describes_direction_and_strength():
    dose = {"spearman_r": 0.34, "p_value": 0.01, "n": 79}
    text = " ".join(summary_sentences(result_with(dose=dose)))
    assert (
        "Across 79 days, days with more acts had moderately higher moods (Spearman r = 0.34)."
        in text
    )
    weak = {"spearman_r": -0.05, "p_value": 0.6, "n": 79}
    assert "hardly moved together" in " ".join(summary_sentences(result_with(dose=weak)))


def test_no_rated_days_says_there_is_nothing_to_compare():
    sentences = summary_sentences(journal((None, 2)))
    assert sentences[0].startswith("There are no rated days in this period yet")


def test_constant_moods_never_claim_the_difference_is_known_precisely():
    """sd 0 makes the formula's days_for_half_point 0, but there is no interval to be precise."""
    for result in [journal(*[(6, i % 2) for i in range(20)]), journal((6, 1), (6, 0))]:
        assert result["days_for_half_point"] == 0
        assert "known to within about ±0.5" not in " ".join(summary_sentences(result))


def test_a_new_journal_is_told_that_months_of_logging_are_normal():
    text = " ".join(summary_sentences(journal((7, 1))))
    assert "months of logging are normal" in text


def test_the_next_day_sentence_says_how_many_more_pairs_of_which_kind():
    # Kind, other, kind, other... over 8 days: 7 pairs, 4 starting with a kind day.
    result = journal((7, 1), (6, 0), (8, 1), (5, 0), (7, 1), (6, 0), (7, 1), (6, 0))
    assert result["next_day"] is None
    sentence = next(s for s in summary_sentences(result) if s.startswith("The next-day"))
    assert sentence.endswith(
        "so far 4 start with a kind day and 3 with another day. It needs 1 more pair "
        "starting with a kind day and 2 more pairs starting with another day."
    )
