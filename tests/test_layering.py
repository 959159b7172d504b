"""Imports run one way, from the apps that orchestrate down to the ones they use.

See ../shared/architecture.md ("Which app may import which").
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "peercert"

# Higher number = higher layer. Apps on the same layer may not import each other.
LAYER = {
    "core": 0,
    "accounts": 1,
    "finance": 2, "assistance": 2,
    "training": 3, "exams": 3, "council": 3,
    "certification": 4,
    "benefit": 5, "renewal": 5,
    "discipline": 6, "billing": 6,
    "registry": 7, "oversight": 7,
    "web": 9,
}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "peercert" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_every_app_has_a_layer():
    apps = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "apps.py").exists()}
    assert apps <= set(LAYER), f"Give these apps a layer in tests/test_layering.py: {apps - set(LAYER)}"


def test_apps_only_import_downward():
    problems = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        app = rel.parts[0]
        if app not in LAYER or "tests" in rel.parts or "migrations" in rel.parts:
            continue
        for other in imported_apps(path):
            if other == app or other not in LAYER:
                continue
            if LAYER[other] >= LAYER[app]:
                problems.append(f"peercert/{rel} imports peercert.{other}")
    assert not problems, "Imports must run downward:\n" + "\n".join(sorted(problems))
