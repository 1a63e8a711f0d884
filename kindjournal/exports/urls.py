from django.urls import path

from kindjournal.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.export, name="export"),
    path("csv/", views.csv_export, name="csv"),
    path("report/", views.report_view, name="report"),
]
