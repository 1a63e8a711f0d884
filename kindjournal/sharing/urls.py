from django.urls import path

from kindjournal.sharing import views

app_name = "sharing"
urlpatterns = [
    path("share/", views.share, name="share"),
    path("share/<int:pk>/revoke/", views.revoke, name="revoke"),
    # Capability URLs: the token is the only key, for whoever holds it (no log-in).
    path("s/<str:token>/", views.shared, name="shared"),
    path("s/<str:token>/csv/", views.shared_csv, name="shared_csv"),
    path("robots.txt", views.robots_txt, name="robots"),
]
