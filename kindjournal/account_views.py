"""Settings → Your data: the account's JSON export and its deletion (kindjournal/account_data.py).

Project-level, like account_data, because they reach every app's tables.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from kindjournal.account_data import account_export, delete_account
from kindjournal.accounts.forms import DeleteAccountForm


@login_required
@require_safe
def export_account(request):
    response = JsonResponse(account_export(request.user), json_dumps_params={"indent": 2})
    filename = f"kindjournal_account_{request.profile.today().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account_view(request):
    data = request.POST if request.method == "POST" else None
    form = DeleteAccountForm(data, request=request)
    if form.is_valid():
        user = request.user
        with transaction.atomic():
            logout(request)
            delete_account(user)
        messages.success(request, "Your account and everything in it have been deleted.")
        return redirect("journal:today")
    return render(request, "accounts/delete.html", {"form": form, "title": "Delete your account"})
