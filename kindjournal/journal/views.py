import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST

from kindjournal.journal.forms import ActForm, MoodForm
from kindjournal.journal.models import (
    DayEntry,
    KindnessAct,
    day_summaries,
    journal_date_problem,
    logged_dates,
)

HISTORY_PAGE_SIZE = 30


def today(request):
    if not request.user.is_authenticated:
        return render(request, "journal/landing.html")
    return _render_day(request, request.profile.today())


@login_required
@require_http_methods(["GET", "POST"])
def day(request, day):
    if request.method == "GET":
        return _render_day(request, day)
    mood_form = MoodForm(request.POST)
    problem = journal_date_problem(day, request.profile.today())
    if problem:
        mood_form.add_error(None, problem)
    if not mood_form.is_valid():
        return _render_day(request, day, mood_form=mood_form)
    entry = DayEntry.objects.save_day(
        request.user, day, recorded_on=request.profile.today(), **mood_form.cleaned_data
    )
    messages.success(request, f"Saved mood {entry.mood} for {_day_name(request, day)}.")
    return redirect(_day_url(request, day))


@login_required
@require_POST
def add_act(request, day):
    act_form = ActForm(request.POST, instance=KindnessAct(user=request.user, date=day))
    problem = journal_date_problem(day, request.profile.today())
    if problem:
        act_form.add_error(None, problem)
    if not act_form.is_valid():
        return _render_day(request, day, act_form=act_form)
    KindnessAct.objects.add(
        request.user,
        day,
        act_form.cleaned_data["description"],
        act_form.cleaned_data["category"],
        submission_key=act_form.cleaned_data["submission_key"],
    )
    messages.success(request, f"Added an act of kindness to {_day_name(request, day)}.")
    return redirect(_day_url(request, day))


@login_required
@require_POST
def delete_act(request, pk):
    act = get_object_or_404(KindnessAct.objects.for_user(request.user), pk=pk)
    act.delete()
    messages.success(request, f"Deleted “{act.description}”.")
    return redirect(_day_url(request, act.date))


@login_required
def history(request):
    page = Paginator(logged_dates(request.user), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    days = day_summaries(request.user, list(page))
    return render(request, "journal/history.html", {"page": page, "days": days})


def _render_day(request, day, mood_form=None, act_form=None):
    today = request.profile.today()
    entry = DayEntry.objects.for_user(request.user).filter(date=day).first()
    if mood_form is None:
        initial = {"mood": entry.mood, "note": entry.note} if entry else {}
        mood_form = MoodForm(initial=initial)
    context = {
        "day": day,
        "is_today": day == today,
        "entry": entry,
        "acts": KindnessAct.objects.for_user(request.user).filter(date=day),
        "mood_form": mood_form,
        "act_form": act_form or ActForm(),
        "date_problem": journal_date_problem(day, today),
        "previous_day": day - datetime.timedelta(days=1),
        "next_day": day + datetime.timedelta(days=1) if day < today else None,
    }
    return render(request, "journal/day.html", context)


def _day_url(request, day):
    if day == request.profile.today():
        return reverse("journal:today")
    return reverse("journal:day", args=[day])


def _day_name(request, day):
    return "today" if day == request.profile.today() else date_format(day, "l j F Y")
