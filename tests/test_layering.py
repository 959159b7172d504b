"""Imports run one way, and across apps only through an app's public modules.

See docs/architecture.md ("Which app may import which"). Two rules, both read from the source with
ast (so an import inside a function counts, and so do `import_module("peercert.x.y")`,
`__import__(...)` and `apps.get_model("x", "Model")`):

1. Direction: app code imports only apps on a lower layer (tests may reach up: they exercise
   the whole program).
2. Surface: what one app may import from another is its public face, the modules in PUBLIC
   (and their packages' submodules, e.g. peercert.certification.services.applications). Tests may
   also use another app's `models` (to set up and read rows), `tests.factories` and `audit`. Everything
   else that crosses today is a named exception below, with its reason; the lists only shrink,
   and an exception that nothing needs any more fails the test so it gets deleted.

core is the ground every app builds on (BaseModel, errors, clock, audit, rules...), so any of its
modules may be imported. accounts.models is the program's shared nouns (people, users,
organizations): every app points foreign keys at them and filters by them, so it is public too.
A foreign key to another app's model is written as a string ("certification.Certification"),
which needs no import.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "peercert"

# Higher number = higher layer. Apps on the same layer may not import each other.
LAYER = {
    "core": 0,
    "accounts": 1,
    "finance": 2,
    "assistance": 2,
    "training": 3,
    "exams": 3,
    "council": 3,
    "certification": 4,
    "benefit": 5,
    "renewal": 5,
    "scholarships": 5,
    "discipline": 6,
    "billing": 6,
    "registry": 7,
    "credentials": 7,
    "integrity": 7,
    "oversight": 8,
    "web": 9,
}

# An app's public face: the modules another app may import (or import_module).
# audit: an app's action vocabulary (a person is accounts' record whoever creates one); jobs: the
# scheduled entry points another app's job may run (renewal's job runs certification's sweeps).
PUBLIC = {"services", "selectors", "permissions", "roles", "signals", "events", "hooks", "audit", "jobs"}
# Shared outright (see the module docstring).
SHARED = {"core.*", "accounts.models"}
# What tests may use of another app besides its public face: its rows, its factories, and its audit
# actions (to check the events its services wrote).
TEST_PUBLIC = {"models", "tests.factories"}

# (importing app, "app.module") -> why it still crosses. Delete a line when the code stops needing it.
# "*" as the imported app is a dynamic import over every app (import_module(f"peercert.{app}.x")).
CODE_EXCEPTIONS = {
    ("discipline", "assistance.api"): "the deprecated /api/v1/discipline/faq answers with assistance's FAQ schema "
    "until its clients move to /api/v1/assistance/faq",
    ("web", "*.navigation"): "web assembles the header from each app's navigation ENTRIES",
    ("web", "*.demo"): "seed_demo runs each app's demo loader",
    ("renewal", "accounts.demo"): "the renewal demo builds on the demo people and programs",
    ("web", "accounts.demo"): "seed_demo loads the demo people and programs first",
    ("discipline", "certification.models"): "appeals reopen a denied application by its row; certification_link "
    "reads Certification rows by id",
    ("discipline", "renewal.models"): "appeals reopen a denied renewal by its row",
    ("discipline", "training.models"): "certification_link reads a training entity's ProviderApplication rows",
    ("registry", "certification.models"): "registry.selectors queries certifications directly for search and "
    "verification; certification.selectors should own those queries",
    ("renewal", "certification.models"): "renewal extends and lapses Certification rows in its services, jobs and "
    "selectors; the moves belong in certification.services",
    ("renewal", "exams.models"): "a renewal by re-examination reads exam results; exams.selectors should answer",
    ("renewal", "training.models"): "the renewal demo writes CE completions; training.services should make them",
    ("oversight", "certification.tests.factories"): "the open-data demo adds certified peers in a few large counties "
    "with certification's factory; certification's demo should take the counts instead",
    ("oversight", "accounts.tests.factories"): "the open-data demo's peers are made with the accounts factory",
}
TEST_EXCEPTIONS = {
    ("*", "web.tests.spanish"): "the shared helper for the Spanish page tests (belongs in a core test helper)",
    ("*", "accounts.demo"): "tests start from the demo people and programs",
    ("web", "*.access"): "the access-matrix and upload tests read every app's access.py",
    ("discipline", "certification.tests.conftest"): "denial-appeal tests reuse certification's application fixtures",
    ("web", "*"): "the upload tests import each app's migration modules by name",
}


@dataclass(frozen=True)
class Import:
    line: int
    app: str  # the imported app, or "*" for import_module(f"peercert.{app}...")
    module: str  # the module under the app: "services", "tests.factories", "models"; "" for the app package
    how: str

    @property
    def target(self) -> str:
        return f"{self.app}.{self.module}" if self.module else self.app


def _module_of(parts: list[str]) -> str:
    """The module an import reaches under the app: the first part, or tests.<x> for test helpers."""
    if len(parts) < 3:
        return ""
    if parts[2] == "tests" and len(parts) > 3:
        return f"tests.{parts[3]}"
    return parts[2]


def _dotted(name: str, line: int, how: str) -> list[Import]:
    parts = name.split(".")
    if parts[0] != "peercert" or len(parts) < 2:
        return []
    return [Import(line, parts[1], _module_of(parts), how)]


def _literal(node) -> str | None:
    """A string argument's value; for an f-string, its text with each placeholder written as "*"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "*" for v in node.values)
    return None


_MODULE_PATH = re.compile(r"^peercert\.[a-z_*]+\.[a-z_.*]+$")


def imports_in(source: str, filename: str = "<test>") -> list[Import]:
    """Every reference to a peercert module in the source: imports anywhere, and dynamic ones."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found += _dotted(alias.name, node.lineno, "import")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if len(parts) == 2 or parts[2:] == ["tests"]:
                # `from peercert.x import services` and `from peercert.x.tests import factories`
                for alias in node.names:
                    found += _dotted(f"{node.module}.{alias.name}", node.lineno, "from-import")
            else:
                found += _dotted(node.module, node.lineno, "from-import")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            args = [_literal(a) for a in node.args]
            if name == "get_model" and args and args[0]:
                # apps.get_model("training", "ProviderApplication") or apps.get_model("training.ProviderApplication")
                app = args[0].split(".")[0]
                found.append(Import(node.lineno, app, "models", "apps.get_model"))
            elif name in ("import_module", "__import__") and args and args[0]:
                found += _dotted(args[0], node.lineno, name)
            else:
                # A wrapper such as `_module("peercert.training.services")` imports all the same.
                for value in args:
                    if value and _MODULE_PATH.match(value):
                        found += _dotted(value, node.lineno, f"{name or 'call'}(string)")
    return [i for i in found if i.app == "*" or i.app in LAYER]


def _matches(pattern: str, target: str) -> bool:
    app, _, module = pattern.partition(".")
    t_app, _, t_module = target.partition(".")
    return app == t_app and (module == "*" or module == t_module)


def surface_problems(app: str, imports: list[Import], *, in_tests: bool, used: set | None = None) -> list[str]:
    """Cross-app imports outside the public face and the exceptions. Records the exceptions relied on in `used`."""
    used = set() if used is None else used
    exceptions = TEST_EXCEPTIONS | CODE_EXCEPTIONS if in_tests else CODE_EXCEPTIONS
    problems = []
    for imp in imports:
        if imp.app == app:
            continue
        kind = imp.module.split(".")[0]
        if kind in PUBLIC or any(_matches(p, imp.target) for p in SHARED):
            continue
        if in_tests and (imp.module in TEST_PUBLIC):
            continue
        keys = [k for k in ((app, imp.target), ("*", imp.target)) if k in exceptions]
        if keys:
            used.update(keys)
            continue
        problems.append(f"line {imp.line}: {imp.how} peercert.{imp.target}")
    return problems


def direction_problems(app: str, imports: list[Import]) -> list[str]:
    return [
        f"line {imp.line}: {imp.how} peercert.{imp.target}"
        for imp in imports
        if imp.app not in (app, "*") and LAYER[imp.app] >= LAYER[app]
    ]


def _app_files():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in LAYER and "migrations" not in rel.parts:
            # access.py holds the matrix's rows and its build_world fixture: test support, not program code.
            # An app with an access/ package (one module per part) holds the same rows there.
            access = rel.name in ("conftest.py", "access.py") or (len(rel.parts) > 2 and rel.parts[1] == "access")
            yield rel, rel.parts[0], "tests" in rel.parts or access


def test_every_app_has_a_layer():
    apps = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "apps.py").exists()}
    assert apps <= set(LAYER), f"Give these apps a layer in tests/test_layering.py: {apps - set(LAYER)}"


def test_apps_only_import_downward():
    problems = []
    for rel, app, in_tests in _app_files():
        if in_tests:
            continue
        problems += [
            f"peercert/{rel} {p}" for p in direction_problems(app, imports_in((ROOT / rel).read_text(), str(rel)))
        ]
    assert not problems, "Imports must run downward:\n" + "\n".join(problems)


def test_apps_cross_only_through_public_modules():
    problems, used = [], set()
    for rel, app, in_tests in _app_files():
        imports = imports_in((ROOT / rel).read_text(), str(rel))
        problems += [f"peercert/{rel} {p}" for p in surface_problems(app, imports, in_tests=in_tests, used=used)]
    assert not problems, (
        f"Across apps import only {sorted(PUBLIC)} (tests also {sorted(TEST_PUBLIC)}); use the other app's "
        "services or selectors, or add a reasoned exception in tests/test_layering.py:\n" + "\n".join(problems)
    )
    stale = sorted((set(CODE_EXCEPTIONS) | set(TEST_EXCEPTIONS)) - used)
    assert not stale, f"These exceptions are no longer needed: delete them from tests/test_layering.py: {stale}"


def test_every_exception_gives_its_reason():
    # A reason may be left blank only for an app reusing its own test helpers (same app, nothing crosses).
    silent = [
        k for k, why in (CODE_EXCEPTIONS | TEST_EXCEPTIONS).items() if not why.strip() and k[0] != k[1].split(".")[0]
    ]
    assert not silent, f"Say why each exception exists: {silent}"


# --- the guard itself -----------------------------------------------------------------------------

BAD_MODULE = """
import importlib
from importlib import import_module

from peercert.certification import services            # public: fine
from peercert.certification.services.applications import application_submit  # a package's submodule: fine


def helper():
    from peercert.certification.models import Certification  # another app's models, inside a function
    import peercert.exams.admin
    views = import_module("peercert.training.views")
    api = importlib.import_module("peercert.exams.api")
    forms = __import__("peercert.discipline.forms")
    model = apps.get_model("renewal", "Renewal")
    return Certification, views, api, forms, model
"""


def test_the_guard_sees_every_kind_of_import():
    found = {(i.target, i.how) for i in imports_in(BAD_MODULE)}
    assert found == {
        ("certification.services", "from-import"),
        ("certification.services", "from-import"),
        ("certification.models", "from-import"),
        ("exams.admin", "import"),
        ("training.views", "import_module"),
        ("exams.api", "import_module"),
        ("discipline.forms", "__import__"),
        ("renewal.models", "apps.get_model"),
    }


def test_the_guard_refuses_a_module_reaching_into_other_apps():
    problems = surface_problems("finance", imports_in(BAD_MODULE), in_tests=False)
    assert sorted(p.rsplit(" ", 1)[1] for p in problems) == sorted(
        [
            "peercert.certification.models",
            "peercert.exams.admin",
            "peercert.training.views",
            "peercert.exams.api",
            "peercert.discipline.forms",
            "peercert.renewal.models",
        ]
    )
    # And every one of those imports reaches up from finance (layer 2).
    assert len(direction_problems("finance", imports_in(BAD_MODULE))) == 8


def test_the_guard_lets_tests_use_models_and_factories_but_not_views():
    source = (
        "from peercert.certification.models import Certification\n"
        "from peercert.exams.tests.factories import SessionFactory\n"
        "from peercert.exams.tests import factories\n"
        "from peercert.training.views import roster\n"
    )
    problems = surface_problems("renewal", imports_in(source), in_tests=True)
    assert [p.rsplit(" ", 1)[1] for p in problems] == ["peercert.training.views"]


def test_the_guard_sees_a_string_handed_to_an_import_wrapper():
    source = 'def f():\n    return _module("peercert.training.admin")\n'
    assert surface_problems("discipline", imports_in(source), in_tests=False) == [
        "line 2: _module(string) peercert.training.admin"
    ]
