import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kindjournal.journal.models import DayEntry, KindnessAct

NOTE = "walked by the river with Sam"
DESCRIPTION = "Soup for Jo after the funeral"


@pytest.fixture
def admin_client_with_data(client, owner, today):
    DayEntry.objects.save_day(owner, today, mood=7, note=NOTE, recorded_on=today)
    KindnessAct.objects.create(user=owner, date=today, description=DESCRIPTION, category="meal")
    admin = get_user_model().objects.create_superuser("admin", password="admin-pass-41")
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    ("model", "matching", "shown"),
    [
        ("dayentry", {"mood": 7, "q": "alice"}, "alice"),
        ("kindnessact", {"category__exact": "meal", "q": "alice"}, "Meal or food"),
    ],
)
def test_admin_lists_both_models_with_filters_and_search_by_username(
    admin_client_with_data, model, matching, shown
):
    url = reverse(f"admin:journal_{model}_changelist")
    response = admin_client_with_data.get(url, matching)
    assert response.context["cl"].result_count == 1
    assert shown in response.content.decode()
    assert admin_client_with_data.get(url, {"q": "nothing-like-it"}).context["cl"].result_count == 0


@pytest.mark.parametrize(("model", "words"), [("dayentry", "river"), ("kindnessact", "funeral")])
def test_admin_search_does_not_look_inside_notes_or_act_descriptions(
    admin_client_with_data, model, words
):
    url = reverse(f"admin:journal_{model}_changelist")
    assert admin_client_with_data.get(url, {"q": words}).context["cl"].result_count == 0


@pytest.mark.parametrize("model", [DayEntry, KindnessAct])
def test_admin_pages_never_show_a_note_or_an_act_description(admin_client_with_data, model):
    item = model.objects.get()
    name = f"admin:journal_{model._meta.model_name}"
    pages = [
        admin_client_with_data.get(reverse(f"{name}_changelist")),
        admin_client_with_data.get(reverse(f"{name}_change", args=[item.pk])),
        admin_client_with_data.get(reverse(f"{name}_delete", args=[item.pk])),
        admin_client_with_data.get(reverse(f"{name}_history", args=[item.pk])),
        admin_client_with_data.get(reverse("admin:index")),
    ]
    for page in pages:
        assert page.status_code == 200
        text = page.content.decode()
        assert "river" not in text and "funeral" not in text


def test_an_admin_edit_keeps_the_note_and_the_description(admin_client_with_data, owner, today):
    entry, act = DayEntry.objects.get(), KindnessAct.objects.get()
    admin_client_with_data.post(
        reverse("admin:journal_dayentry_change", args=[entry.pk]),
        {"user": owner.pk, "date": today, "mood": 3, "recorded_on": today, "note": "overwritten"},
    )
    admin_client_with_data.post(
        reverse("admin:journal_kindnessact_change", args=[act.pk]),
        {"user": owner.pk, "date": today, "category": "gift", "description": "overwritten"},
    )
    entry.refresh_from_db()
    act.refresh_from_db()
    assert (entry.mood, entry.note) == (3, NOTE)
    assert (act.category, act.description) == ("gift", DESCRIPTION)


def test_acts_are_not_added_in_the_admin(admin_client_with_data):
    assert admin_client_with_data.get(reverse("admin:journal_kindnessact_add")).status_code == 403


def test_admin_is_closed_to_people_who_are_not_staff(owner_client):
    response = owner_client.get(reverse("admin:journal_dayentry_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response.url
