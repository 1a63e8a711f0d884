from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from kindjournal.exports.data import first_logged_date
from kindjournal.exports.forms import ExportForm, ExportRangeForm
from kindjournal.exports.rendering import csv_response, report_context

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
def csv_export(request):
    form = ExportRangeForm(request.GET, today=request.profile.today())
    if not form.is_valid():
        return HttpResponseBadRequest(form.error_text(), content_type="text/plain; charset=utf-8")
    start, end = form.dates(lambda: first_logged_date(request.user))
    return csv_response(request.user, start, end, form.cleaned_data["notes"])


@login_required
@require_safe
def report_view(request):
    today = request.profile.today()
    form = ExportRangeForm(request.GET, today=today)
    if not form.is_valid():
        return render(request, "exports/bad_request.html", {"form": form}, status=400)
    start, end = form.dates(lambda: first_logged_date(request.user))
    context = report_context(
        request.user,
        start,
        end,
        form.cleaned_data["notes"],
        name=request.profile.name,
        today=today,
    )
    return render(request, "exports/report.html", context)
