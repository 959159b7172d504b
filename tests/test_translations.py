"""Every Spanish catalogue is complete, and its committed .mo is the compiled .po.

Catalogues are found, not listed: each app keeps peercert/<app>/locale/es/LC_MESSAGES/django.po
with the compiled django.mo beside it (committed, because fresh machines may lack gettext).
"""

import ast
import gettext
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("peercert/*/locale/es/LC_MESSAGES/django.po"))
MSGFMT = "/usr/bin/msgfmt"
needs_msgfmt = pytest.mark.skipif(not Path(MSGFMT).exists(), reason="gettext's msgfmt is not installed")
by_app = pytest.mark.parametrize("po", CATALOGUES, ids=[p.parents[3].name for p in CATALOGUES])


def entries(po: Path) -> list[dict]:
    """The .po's entries, obsolete ones (#~) left out: {"line": msgid's line number, "fuzzy",
    "msgid", "msgstr"} with multi-line strings joined; plurals give msgstr[0], msgstr[1], ..."""
    found, entry, key = [], None, None
    for number, raw in enumerate(po.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        continues = line.startswith(('"', "msgstr"))
        if entry is None or (entry["translated"] and not continues):
            entry = {"line": number, "fuzzy": False, "translated": False}
            found.append(entry)
        if line.startswith("#,"):
            entry["fuzzy"] |= "fuzzy" in line[2:].replace(",", " ").split()
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        elif not line.startswith("#"):
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
            entry["line"] = number if key == "msgid" else entry["line"]
            entry["translated"] |= key.startswith("msgstr")
    return found


def test_the_parser_reads_plurals_fuzzy_and_multi_line_strings(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "Hello %(n)s"\nmsgstr "Hola %(n)s"\n\n'
        'msgid ""\n"Two "\n"lines"\nmsgstr ""\n\n'
        'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "%(n)s día"\nmsgstr[1] ""\n\n'
        '#~ msgid "Old"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    header, hello, two, day = entries(po)
    assert header["msgstr"] == "Language: es\n" and not header["fuzzy"]
    assert hello["fuzzy"] and hello["msgstr"] == "Hola %(n)s"
    assert two["msgid"] == "Two lines" and two["msgstr"] == ""
    assert day["msgstr[0]"] == "%(n)s día" and day["msgstr[1]"] == "" and day["line"] == 15
    assert untranslated(po) == [
        "django.po:7 fuzzy 'Hello %(n)s'",
        "django.po:10 empty 'Two lines'",
        "django.po:15 empty '%(n)s day'",
    ]


def untranslated(po: Path) -> list[str]:
    problems = []
    for entry in entries(po):
        where = f"{po.name}:{entry['line']}"
        if entry["fuzzy"]:
            problems.append(f"{where} fuzzy {entry.get('msgid', '')!r}")
        translations = [value for key, value in entry.items() if key.startswith("msgstr")]
        if not translations or not all(translations):
            problems.append(f"{where} empty {entry.get('msgid', '')!r}")
    return problems


@by_app
def test_catalogue_is_translated_and_compiled(po):
    assert po.with_suffix(".mo").exists(), f"Compile it: cd {po.parents[3]} && manage.py compilemessages -l es"
    assert untranslated(po) == []


@needs_msgfmt
@by_app
def test_committed_mo_is_the_compiled_po(po, tmp_path):
    fresh = tmp_path / "django.mo"
    check = subprocess.run([MSGFMT, "--check", "-o", str(fresh), str(po)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    with fresh.open("rb") as new, po.with_suffix(".mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(new)._catalog, (
            f"{po.with_suffix('.mo')} is stale: run compilemessages and commit the .mo"
        )
