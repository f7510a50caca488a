from django.db import migrations

from apps.ledger import procedures


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0009_procedure_arrays_and_entry_keys'),
    ]

    operations = [
        # `ledger_post_entry`, the lean procedure for one entry, and the fault rules both procedures share (see
        # apps/ledger/procedures.py). Going back keeps the current definitions, which the older schema runs too.
        migrations.RunPython(procedures.install, migrations.RunPython.noop),
    ]
