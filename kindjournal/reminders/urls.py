from django.urls import path

from kindjournal.reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.reminder_settings, name="settings"),
    path("devices/", views.add_device, name="add_device"),
    path("devices/<int:pk>/remove/", views.remove_device, name="remove_device"),
    path("confirm-again/", views.send_confirmation_again, name="send_confirmation_again"),
    path("confirm/<str:token>/", views.confirm_address, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
