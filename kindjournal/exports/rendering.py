"""What an export produces, for each place that serves one: /export/ and shared links
(kindjournal/sharing). The report's context (rendered by templates/exports/_report.html) and the
CSV download."""

from django.http import StreamingHttpResponse

from kindjournal.exports import report
from kindjournal.exports.data import export_days
from kindjournal.insights.data import insights_for
from kindjournal.insights.stats import MIN_GROUP_DAYS
from kindjournal.insights.summary import summary_sentences
from kindjournal.journal import csv_format


def report_context(user, start, end, notes, *, name, today):
    """Everything _report.html shows for `user`'s days in [start, end]; notes only if `notes`.
    `name` heads the report (whoever renders it chooses what to show), `today` is its date."""
    days = list(export_days(user, start, end, notes))
    # The period's own days only: the report is handed to someone, who must learn nothing of
    # the days around it.
    insights = insights_for(user, start, end, look_back=False)
    return {
        "name": name,
        "start": start,
        "end": end,
        "generated": today,
        "notes": notes,
        "days": days,
        "summary": report.summarise(days, start, end),
        "same_day": insights["same_day"],
        "next_day": insights["next_day"],
        "sentences": summary_sentences(insights),
        "chart": report.chart_data(insights),
        "min_group_days": MIN_GROUP_DAYS,
    }


def csv_response(user, start, end, notes):
    """The therapist CSV of `user`'s days in [start, end], streamed as a download."""
    days = export_days(user, start, end, notes)
    response = StreamingHttpResponse(
        csv_format.encoded_chunks(csv_format.lines(days, notes)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="kindjournal_{start}_{end}.csv"'
    return response
