"""Technical assistance moves out of discipline, keeping its tables and every row.

The four tables were created by discipline.0001 and keep their names (Meta.db_table), so this
migration only tells Django's model state that the models now belong here (state-only
CreateModel); discipline.0004 removes them from discipline's state the same way. Nothing is
dropped, created or copied in the database. The content types move with the models, so
admin history and permissions stay attached.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ["assistancerequest", "assistancemessage", "savedanswer", "faqentry"]
CATEGORIES = [('applying', 'Applying for certification'), ('training', 'Training and classes'), ('exam', 'The exam'),
              ('fees', 'Fees and scholarships'), ('renewal', 'Renewal and continuing education'),
              ('account', 'My account or this website'), ('other', 'Something else')]


def _move_content_types(apps, schema_editor, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(ContentType.objects.filter(app_label=target, model__in=MODELS).values_list("model", flat=True))
    ContentType.objects.filter(app_label=source, model__in=[m for m in MODELS if m not in taken]).update(
        app_label=target)


def forward(apps, schema_editor):
    _move_content_types(apps, schema_editor, "discipline", "assistance")


def backward(apps, schema_editor):
    _move_content_types(apps, schema_editor, "assistance", "discipline")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('discipline', '0003_upload_kind_and_random_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='FaqEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('question', models.CharField(max_length=300, unique=True, verbose_name='question')),
                        ('answer', models.TextField(verbose_name='answer')),
                        ('category', models.CharField(choices=CATEGORIES, max_length=20, verbose_name='topic')),
                        ('order', models.PositiveIntegerField(default=100, verbose_name='order on the page')),
                        ('is_published', models.BooleanField(default=True, verbose_name='shown to the public')),
                    ],
                    options={
                        'verbose_name_plural': 'FAQ entries',
                        'db_table': 'discipline_faqentry',
                        'ordering': ['category', 'order', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='SavedAnswer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('title', models.CharField(max_length=200, unique=True, verbose_name='title')),
                        ('category', models.CharField(blank=True, choices=CATEGORIES, max_length=20, verbose_name='topic')),
                        ('body', models.TextField(verbose_name='answer')),
                        ('is_active', models.BooleanField(default=True, verbose_name='in use')),
                    ],
                    options={
                        'db_table': 'discipline_savedanswer',
                        'ordering': ['title'],
                    },
                ),
                migrations.CreateModel(
                    name='AssistanceRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('number', models.CharField(max_length=20, unique=True)),
                        ('name', models.CharField(max_length=200, verbose_name='your name')),
                        ('email', models.EmailField(max_length=254, verbose_name='your email')),
                        ('phone', models.CharField(blank=True, max_length=30, verbose_name='your phone')),
                        ('category', models.CharField(choices=CATEGORIES, max_length=20, verbose_name='topic')),
                        ('subject', models.CharField(max_length=200, verbose_name='subject')),
                        ('question', models.TextField(verbose_name='your question')),
                        ('status', models.CharField(choices=[('open', 'Waiting for an answer'), ('answered', 'Answered'), ('closed', 'Closed')], default='open', max_length=12)),
                        ('received_at', models.DateTimeField()),
                        ('respond_by', models.DateField()),
                        ('first_response_at', models.DateTimeField(blank=True, null=True)),
                        ('rules_version', models.CharField(max_length=40)),
                        ('assigned_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('requester', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assistance_requests', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'discipline_assistancerequest',
                        'ordering': ['respond_by', 'id'],
                        'indexes': [models.Index(fields=['status', 'respond_by'], name='discipline__status_4cad5e_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='AssistanceMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('from_staff', models.BooleanField()),
                        ('body', models.TextField()),
                        ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='assistance.assistancerequest')),
                    ],
                    options={
                        'db_table': 'discipline_assistancemessage',
                        'ordering': ['created_at', 'id'],
                    },
                ),
            ],
        ),
        migrations.RunPython(forward, backward),
    ]
