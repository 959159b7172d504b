"""Technical assistance now lives in the assistance app (assistance.0001).

State only: the tables stay where they are, under their discipline_* names, with every row;
the assistance models own them from here on.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assistance', '0001_initial'),
        ('discipline', '0003_upload_kind_and_random_names'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveIndex(model_name='assistancerequest', name='discipline__status_4cad5e_idx'),
                migrations.DeleteModel(name='AssistanceMessage'),
                migrations.DeleteModel(name='AssistanceRequest'),
                migrations.DeleteModel(name='SavedAnswer'),
                migrations.DeleteModel(name='FaqEntry'),
            ],
        ),
    ]
