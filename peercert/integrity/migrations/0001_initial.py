# The app's first migration holds nothing: each part adds its own (0002_<part>), and the lead merges them.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = []
