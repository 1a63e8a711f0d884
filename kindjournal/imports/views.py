from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from kindjournal.imports import services
from kindjournal.imports.forms import MappingForm, UploadForm
from kindjournal.imports.models import PendingImport
from kindjournal.imports.planning import describe
from kindjournal.imports.sizes import WAITING_UPLOADS

# The tokens of this browser's recent uploads, so that one which has expired (and is gone from
# the database) gets a message instead of a 404, without telling anyone else's tokens apart.
UPLOADS_SESSION_KEY = "imports_uploads"
UPLOADS_REMEMBERED = 20


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request):
    services.purge_expired()
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_valid():
        pending, replaced = services.start_pending(
            request.user, form.cleaned_data["file"].name, form.source
        )
        if replaced:
            messages.info(
                request,
                f"At most {WAITING_UPLOADS} uploads wait for a confirm at once, so the oldest "
                f"({', '.join(f'“{name}”' for name in replaced)}) has been deleted.",
            )
        recent = request.session.get(UPLOADS_SESSION_KEY, [])
        request.session[UPLOADS_SESSION_KEY] = [str(pending.token), *recent][:UPLOADS_REMEMBERED]
        return redirect(pending)
    return render(request, "imports/upload.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preview(request, token):
    pending = _own_upload(request, token)
    if pending is None:
        return _expired(request)
    if pending.imported_at:
        return _already_imported(request)

    try:
        parsed = services.parse_pending(request.user, pending)
    except services.TooBig as too_big:
        return _too_big(request, pending, too_big)
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        pending=pending,
        parsed=parsed,
        overwrite=request.GET.get("overwrite") == "1",
    )
    if form.is_valid():
        if form.save_mapping():
            messages.info(request, "The preview now uses your changes. Check it, then import.")
        elif "update" not in request.POST:
            return _confirm(request, pending, parsed, form)
        return redirect(form.preview_url())
    return _render_preview(request, pending, parsed, form)


@login_required
@require_POST
def cancel(request, token):
    pending = _own_upload(request, token)
    if pending is not None:
        pending.delete()
    # Cancelled, not expired: from now on its address is simply not found.
    recent = request.session.get(UPLOADS_SESSION_KEY, [])
    request.session[UPLOADS_SESSION_KEY] = [kept for kept in recent if kept != str(token)]
    messages.info(request, "Import cancelled. The uploaded file has been deleted.")
    return redirect("imports:upload")


def _confirm(request, pending, parsed, form):
    try:
        plan = services.import_parsed(request.user, pending, parsed, form.cleaned_data["overwrite"])
    except PendingImport.DoesNotExist:  # cancelled or purged since this request began
        return _expired(request)
    except services.AlreadyImported:
        return _already_imported(request)
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
    problems, more_problems = services.first_problems(parsed.problems)
    context = {
        "pending": pending,
        "parsed": parsed,
        "preview": services.preview(request.user, parsed.days),
        "problems": problems,
        "more_problems": more_problems,
        "form": form,
    }
    return render(request, "imports/preview.html", context)


def _own_upload(request, token):
    """The person's upload `token`, once everyone's expired uploads are deleted.

    None for one of this browser's uploads that has expired; 404 for any other token, whether
    it is someone else's or none at all, so a token's existence is never given away.
    """
    services.purge_expired()
    pending = PendingImport.objects.for_user(request.user).filter(token=token).first()
    if pending is None and str(token) not in request.session.get(UPLOADS_SESSION_KEY, []):
        raise Http404
    return pending


def _too_big(request, pending, too_big):
    pending.delete()
    messages.error(request, str(too_big))
    return redirect("imports:upload")


def _expired(request):
    messages.warning(request, "That upload has expired. Please choose the file again.")
    return redirect("imports:upload")


def _already_imported(request):
    messages.info(request, "That file has already been imported.")
    return redirect(_imported_days_url())


def _imported_days_url():
    # Straight to what the import is for: the person's helper's high over all their days.
    return f"{reverse('insights:insights')}?range=all"
