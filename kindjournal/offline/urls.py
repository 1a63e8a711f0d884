from django.urls import path

from kindjournal.offline import views

app_name = "offline"
urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("favicon.ico", views.favicon, name="favicon"),
    # At the site root, so its scope covers every page.
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.shell, name="shell"),
    path("offline/send/", views.send, name="send"),
    path("offline/session/", views.session, name="session"),
]
