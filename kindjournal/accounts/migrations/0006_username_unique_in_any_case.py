from django.db import migrations

# Django's user table is not ours to give a Meta constraint, so the index is made here: one
# account per username in any letter case ("Casey" and "casey" are one person to a reader),
# enforced by the database, so sign-ups racing each other cannot both win. The same statement
# works on SQLite and PostgreSQL. Existing usernames that differ only in case must be renamed
# before this migration runs (it fails otherwise, and changes nothing).
INDEX = "accounts_username_lower_uniq"


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_profile_show_on_this_day"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {INDEX} ON auth_user (LOWER(username))",
            reverse_sql=f"DROP INDEX {INDEX}",
        ),
    ]
