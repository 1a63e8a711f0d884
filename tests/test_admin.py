import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kindjournal.journal.models import DayEntry, KindnessAct


@pytest.fixture
def admin_client_with_data(client, owner, today):
    DayEntry.objects.save_day(owner, today, mood=7, note="walk", recorded_on=today)
    KindnessAct.objects.create(user=owner, date=today, description="Soup for Jo", category="meal")
    admin = get_user_model().objects.create_superuser("admin", password="admin-pass-41")
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    ("model", "matching", "shown"),
    [
        ("dayentry", {"mood": 7, "q": "walk"}, "alice"),
        ("kindnessact", {"category__exact": "meal", "q": "Soup"}, "Soup for Jo"),
    ],
)
def test_admin_lists_both_models_with_filters_and_search(
    admin_client_with_data, model, matching, shown
):
    url = reverse(f"admin:journal_{model}_changelist")
    response = admin_client_with_data.get(url, matching)
    assert response.context["cl"].result_count == 1
    assert shown in response.content.decode()
    assert admin_client_with_data.get(url, {"q": "nothing-like-it"}).context["cl"].result_count == 0


def test_admin_is_closed_to_people_who_are_not_staff(owner_client):
    response = owner_client.get(reverse("admin:journal_dayentry_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response.url
