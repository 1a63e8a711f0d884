"""A URLconf for the URL walk's own tests: the real one plus the mistake the walk must catch, a
page that shows any logged-in person an act by its key, whoever it belongs to."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path

from kindjournal.journal.models import KindnessAct


@login_required
def peek(request, key):
    act = get_object_or_404(KindnessAct, pk=key)  # no .for_user(request.user): the leak
    return HttpResponse(act.description)


urlpatterns = [
    path("peek/<str:key>/", peek, name="peek"),
    path("", include("kindjournal.urls")),
]
