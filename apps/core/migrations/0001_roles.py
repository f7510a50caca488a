from django.db import migrations

from apps.core.roles import AUDITORS, FUND_ADMINISTRATORS


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in (FUND_ADMINISTRATORS, AUDITORS):
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
