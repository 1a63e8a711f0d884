"""The app's URLs plus the benchmark baseline: an authenticated page rendering only base.html."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import TemplateView

from kindjournal.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("bench/baseline/", login_required(TemplateView.as_view(template_name="base.html"))),
    *app_urlpatterns,
]
