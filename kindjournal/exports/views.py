from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from kindjournal.exports import report
from kindjournal.exports.data import export_days, first_logged_date
from kindjournal.exports.forms import ExportForm, ExportRangeForm
from kindjournal.insights.data import insights_for
from kindjournal.insights.stats import MIN_GROUP_DAYS
from kindjournal.insights.summary import summary_sentences
from kindjournal.journal import csv_format

# The two buttons of the /export/ form (`format`) and where each sends the person.
DESTINATIONS = {"csv": "exports:csv", "report": "exports:report"}


@login_required
@require_safe
def export(request):
    today = request.profile.today()
    destination = DESTINATIONS.get(request.GET.get("format"))
    form = ExportForm(request.GET if destination else None, today=today)
    if destination and form.is_valid():
        return redirect(f"{reverse(destination)}?{urlencode(form.query())}")
    presets = form.preset_previews(first_logged_date(request.user))
    return render(request, "exports/export.html", {"form": form, "presets": presets})


@login_required
@require_safe
@cache_control(no_store=True)
def csv_export(request):
    form = ExportRangeForm(request.GET, today=request.profile.today())
    if not form.is_valid():
        return HttpResponseBadRequest(form.error_text(), content_type="text/plain; charset=utf-8")
    start, end = form.dates(lambda: first_logged_date(request.user))
    notes = form.cleaned_data["notes"]
    days = export_days(request.user, start, end, notes)
    response = StreamingHttpResponse(
        csv_format.encoded_chunks(csv_format.lines(days, notes)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="kindjournal_{start}_{end}.csv"'
    return response


@login_required
@require_safe
@cache_control(no_store=True)
def report_view(request):
    today = request.profile.today()
    form = ExportRangeForm(request.GET, today=today)
    if not form.is_valid():
        return render(request, "exports/bad_request.html", {"form": form}, status=400)
    start, end = form.dates(lambda: first_logged_date(request.user))
    notes = form.cleaned_data["notes"]
    days = list(export_days(request.user, start, end, notes))
    insights = insights_for(request.user, start, end)
    context = {
        "name": request.profile.name,
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
    return render(request, "exports/report.html", context)
