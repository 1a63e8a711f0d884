"""What an import will change, worked out before anything is written. No Django imports.

The preview page shows a Plan and the import writes exactly that Plan, so the numbers a person
confirms are the numbers they get.
"""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Plan:
    new_days: list = field(default_factory=list)  # dates not yet in the journal
    overwritten_days: list = field(default_factory=list)  # dates in the journal, replaced
    kept_days: list = field(default_factory=list)  # dates in the journal, left alone
    entries_to_create: list = field(default_factory=list)  # ImportedDay
    entries_to_update: list = field(default_factory=list)  # ImportedDay
    acts_to_create: list = field(default_factory=list)  # (date, category, description)

    @property
    def existing_days(self):
        return len(self.overwritten_days) + len(self.kept_days)


def make_plan(days, entry_dates, existing_acts, overwrite):
    """The Plan for importing `days` into a journal that has moods on `entry_dates` and the acts
    counted in `existing_acts` (a Counter of (date, category, description)).

    A date that already has a mood or an act is left alone, unless `overwrite`: then the file's
    mood, note and recorded_on replace the journal's, and the file's acts are added. Acts match
    by date, category and description, counted, so a re-import adds no copies while two equal
    acts on one day in the file stay two.
    """
    plan = Plan()
    logged = set(entry_dates) | {date for date, _, _ in existing_acts}
    for day in days:
        if day.date in logged and not overwrite:
            plan.kept_days.append(day.date)
            continue
        (plan.overwritten_days if day.date in logged else plan.new_days).append(day.date)
        if day.mood is not None:
            if day.date in entry_dates:
                plan.entries_to_update.append(day)
            else:
                plan.entries_to_create.append(day)
        already = Counter()
        for category, description in day.acts:
            act = (day.date, category, description)
            already[act] += 1
            if already[act] > existing_acts[act]:
                plan.acts_to_create.append(act)
    return plan


def describe(plan, dry_run=False):
    """What the import did (or, for a dry run, would do), in a sentence or two."""
    days, acts = _count(len(plan.new_days), "day"), _count(len(plan.acts_to_create), "act")
    text = f"{'Would import' if dry_run else 'Imported'} {days} and {acts} of kindness."
    for dates, outcome in ((plan.overwritten_days, "overwritten"), (plan.kept_days, "kept")):
        if dates:
            verb = "would be" if dry_run else ("was" if len(dates) == 1 else "were")
            text += f" {_count(len(dates), 'day')} already in the journal {verb} {outcome}."
    return text


def _count(number, noun):
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
