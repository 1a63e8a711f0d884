from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kindjournal.moodcalendar import year as year_view
from kindjournal.moodcalendar.data import first_logged_year, year_data
from kindjournal.moodcalendar.forms import CalendarForm
from kindjournal.moodcalendar.table import day_rows


@login_required
@require_safe
def calendar(request):
    today = request.profile.today()
    form = CalendarForm(request.GET, today=today)
    if not form.is_valid():
        return render(request, "moodcalendar/bad_request.html", {"form": form}, status=400)
    year, month = form.chosen()
    moods, acts = year_data(request.user, year)
    first_year = first_logged_year(request.user)
    previous_year, next_year = year_view.year_links(year, first_year, today.year)
    previous_month, next_month = year_view.month_links(month)
    built = year_view.build_year(year, today, moods, acts)
    context = {
        "year": built,
        "day_rows": day_rows(built),
        "shown_month": month,
        "previous_year": previous_year,
        "next_year": next_year,
        "previous_month": previous_month,
        "next_month": next_month,
        "month_names": year_view.MONTH_NAMES,
        "mood_steps": year_view.MOOD_STEPS,
    }
    return render(request, "moodcalendar/calendar.html", context)
