from django.db import migrations

from apps.ledger import procedures


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0008_line_index_and_procedure'),
    ]

    operations = [
        # The posting procedure takes its document as typed arrays instead of one JSON document (see
        # apps/ledger/procedures.py). Going back keeps the current definition, which the older schema runs too.
        migrations.RunPython(procedures.install, migrations.RunPython.noop),
    ]
