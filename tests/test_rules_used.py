"""Every program rule is read by code: a rule in RULE_SPEC that nothing reads is a promise the program
does not keep (the state changes the number and nothing happens)."""

import re
from pathlib import Path

from peercert.core.rules import RULE_SPEC

ROOT = Path(__file__).resolve().parent.parent / "peercert"


def _source_outside_tests() -> str:
    texts = []
    for path in ROOT.rglob("*"):
        if path.suffix not in {".py", ".html", ".txt"} or "tests" in path.parts or "migrations" in path.parts:
            continue
        if path.name == "rules.py" and path.parent.name == "core":
            continue  # RULE_SPEC itself names every rule
        texts.append(path.read_text(encoding="utf-8"))
    return "\n".join(texts)


def test_every_rule_is_read_outside_tests():
    source = _source_outside_tests()
    unread = [
        name
        for name in RULE_SPEC
        # .name (rules_on(...).name, rules.name in templates) or "name" (getattr, a field list)
        if not re.search(rf"\.{name}\b|[\"']{name}[\"']", source)
    ]
    assert not unread, f"Rules nothing reads (read them where they belong, or remove them): {unread}"
