import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kindjournal.journal.forms import ActForm, MoodForm
from kindjournal.journal.models import (
    FIRST_DATE,
    DayEntry,
    KindnessAct,
    acts_and_on_this_day_for,
    acts_for,
    day_entry_for,
    day_name,
    day_summaries,
    journal_date_problem,
    logged_dates,
    progress_for,
)

HISTORY_PAGE_SIZE = 30


@require_safe
def today(request):
    if not request.user.is_authenticated:
        return render(request, "journal/landing.html")
    today = request.profile.today()
    return _render_day(request, today, today)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def day(request, day):
    # "Today" is read once per request, so a save at midnight checks and records the same date.
    today = request.profile.today()
    if request.method != "POST":
        return _render_day(request, day, today)
    mood_form = MoodForm(request.POST)
    _refuse_unloggable_day(mood_form, day, today)
    if not mood_form.is_valid():
        return _render_day(request, day, today, mood_form=mood_form)
    entry = DayEntry.objects.save_day(
        request.user, day, recorded_on=today, **mood_form.cleaned_data
    )
    messages.success(request, f"Saved mood {entry.mood} for {day_name(day, today)}.")
    return redirect(_day_url(day, today))


@login_required
@require_POST
def add_act(request, day):
    today = request.profile.today()
    act_form = ActForm(request.POST, instance=KindnessAct(user=request.user, date=day))
    _refuse_unloggable_day(act_form, day, today)
    if not act_form.is_valid():
        return _render_day(request, day, today, act_form=act_form)
    KindnessAct.objects.add(request.user, day, **act_form.cleaned_data)
    messages.success(request, f"Added an act of kindness to {day_name(day, today)}.")
    return redirect(_day_url(day, today))


@login_required
@require_POST
def delete_act(request, pk):
    act = get_object_or_404(KindnessAct.objects.for_user(request.user), pk=pk)
    KindnessAct.objects.for_user(request.user).remove(act.pk)
    # Not the description: messages wait in a cookie that is signed, not encrypted.
    today = request.profile.today()
    messages.success(request, f"Deleted an act of kindness from {day_name(act.date, today)}.")
    return redirect(_day_url(act.date, today))


@login_required
@require_safe
def history(request):
    page = Paginator(logged_dates(request.user), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    days = day_summaries(request.user, list(page))
    return render(request, "journal/history.html", {"page": page, "days": days})


def _refuse_unloggable_day(form, day, today):
    problem = journal_date_problem(day, today)
    if problem:
        form.add_error(None, problem)


def _render_day(request, day, today, mood_form=None, act_form=None):
    entry = day_entry_for(request.user, day)
    if mood_form is None:
        initial = {"mood": entry.mood, "note": entry.note} if entry else {}
        mood_form = MoodForm(initial=initial)
    context = {
        "day": day,
        "is_today": day == today,
        "entry": entry,
        "mood_form": mood_form,
        "act_form": act_form or ActForm(),
        "date_problem": journal_date_problem(day, today),
        "previous_day": day - datetime.timedelta(days=1) if day > FIRST_DATE else None,
        "next_day": day + datetime.timedelta(days=1) if day < today else None,
    }
    if day == today:
        context["progress"] = progress_for(request.user, today)
        context["acts"], context["on_this_day"] = acts_and_on_this_day_for(
            request.user, today, on_this_day=request.profile.show_on_this_day
        )
    else:
        context["acts"] = acts_for(request.user, [day])
    return render(request, "journal/day.html", context)


def _day_url(day, today):
    return reverse("journal:today") if day == today else reverse("journal:day", args=[day])
