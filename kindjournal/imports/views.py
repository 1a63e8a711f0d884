from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from kindjournal.imports import services
from kindjournal.imports.forms import MappingForm, UploadForm
from kindjournal.imports.models import PendingImport
from kindjournal.imports.planning import describe

PROBLEMS_SHOWN = 20


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_valid():
        pending = services.start_pending(request.user, form.cleaned_data["file"].name, form.source)
        return redirect(pending)
    return render(request, "imports/upload.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def preview(request, token):
    pending = get_object_or_404(PendingImport.objects.for_user(request.user), token=token)
    if pending.imported_at:
        messages.info(request, f"“{pending.filename}” has already been imported.")
        return redirect(_imported_days_url())
    if pending.is_stale:
        pending.delete()
        messages.warning(request, "That upload has expired. Please choose the file again.")
        return redirect("imports:upload")

    parsed = services.parse_pending(request.user, pending)
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        moods=parsed.moods,
        activities=parsed.activities,
        initial={
            **MappingForm.initial_for(
                parsed.moods, parsed.activities, parsed.proposed_moods, pending.kind_activities
            ),
            "overwrite": request.GET.get("overwrite") == "1",
        },
    )
    if form.is_valid():
        changed = (form.mood_map(), form.kind_activities()) != (
            parsed.proposed_moods,
            pending.kind_activities,
        )
        if changed or "update" in request.POST:
            pending.mood_map, pending.kind_activities = form.mood_map(), form.kind_activities()
            pending.save(update_fields=["mood_map", "kind_activities"])
            if changed and "update" not in request.POST:
                messages.info(request, "The preview now uses your changes. Check it, then import.")
            # Keeps the tick across the reload; the preview shows both outcomes anyway.
            overwrite = "?overwrite=1" if form.cleaned_data["overwrite"] else ""
            return redirect(pending.get_absolute_url() + overwrite)
        return _confirm(request, pending, parsed, form)
    return _render_preview(request, pending, parsed, form)


@login_required
@require_POST
def cancel(request, token):
    pending = get_object_or_404(PendingImport.objects.for_user(request.user), token=token)
    pending.delete()
    messages.info(request, "Import cancelled. The uploaded file has been deleted.")
    return redirect("imports:upload")


def _confirm(request, pending, parsed, form):
    try:
        plan = services.confirm_pending(request.user, pending.token, form.cleaned_data["overwrite"])
    except PendingImport.DoesNotExist:
        raise Http404 from None
    except services.AlreadyImported:
        messages.info(request, f"“{pending.filename}” has already been imported.")
        return redirect(_imported_days_url())
    except services.ImportRefused as refused:
        parsed.problems = refused.problems
        return _render_preview(request, pending, parsed, form)
    except services.ImportConflict:
        messages.error(
            request,
            "Your journal changed while importing, so nothing was imported. Please try again.",
        )
        return redirect(pending)
    messages.success(request, f"{describe(plan)} From “{pending.filename}”.")
    return redirect(_imported_days_url())


def _render_preview(request, pending, parsed, form):
    context = {
        "pending": pending,
        "parsed": parsed,
        "preview": services.preview(request.user, parsed.days),
        "problems": parsed.problems[:PROBLEMS_SHOWN],
        "more_problems": max(0, len(parsed.problems) - PROBLEMS_SHOWN),
        "form": form,
    }
    return render(request, "imports/preview.html", context)


def _imported_days_url():
    # Straight to what the import is for: the person's helper's high over all their days.
    return f"{reverse('insights:insights')}?range=all"
