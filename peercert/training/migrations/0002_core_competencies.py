from django.db import migrations

# The 17 core competencies of the 80-hour core training (Welf. & Inst. Code 14045.13).
CORE_COMPETENCIES = [
    ("hope-recovery-wellness", "The concepts of hope, recovery and wellness"),
    ("advocacy", "The role of advocacy"),
    ("consumers-family", "The role of consumers and family members"),
    ("rehabilitation-recovery", "Psychiatric rehabilitation skills and service delivery, and addiction recovery principles, including defined practices"),
    ("cultural-structural", "Cultural and structural competence"),
    ("trauma-informed", "Trauma-informed care"),
    ("group-facilitation", "Group facilitation skills"),
    ("self-awareness-care", "Self-awareness and self-care"),
    ("co-occurring", "Co-occurring disorders of mental health and substance use"),
    ("conflict-resolution", "Conflict resolution"),
    ("boundaries-ethics", "Professional boundaries and ethics"),
    ("employment-preparation", "Preparation for employment, including study and test-taking skills, application and résumé preparation, and interviewing"),
    ("safety-crisis", "Safety and crisis planning"),
    ("navigation-referral", "Navigation of, and referral to, other services"),
    ("documentation", "Documentation skills and standards"),
    ("confidentiality", "Confidentiality"),
    ("digital-literacy", "Digital literacy"),
]


def seed(apps, schema_editor):
    Competency = apps.get_model("training", "Competency")
    for order, (code, name) in enumerate(CORE_COMPETENCIES, start=1):
        Competency.objects.update_or_create(code=code, defaults={"name": name, "order": order, "is_core": True})


def unseed(apps, schema_editor):
    apps.get_model("training", "Competency").objects.filter(code__in=[c for c, _ in CORE_COMPETENCIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
