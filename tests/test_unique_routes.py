"""No two URL patterns share a path: an app split into parts (benefit, billing) joins its parts'
urlpatterns, and a path written twice silently sends every request to the first view."""

from collections import Counter

from django.urls import URLPattern, URLResolver, get_resolver


def _paths(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _paths(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def test_every_path_is_routed_once():
    counts = Counter(_paths(get_resolver().url_patterns))
    # Technical assistance's old /discipline/ paths redirect from a second include on purpose; none repeat.
    repeated = sorted(path for path, n in counts.items() if n > 1 and not path.startswith("admin/"))
    assert not repeated, f"Paths routed more than once (the later view is unreachable): {repeated}"
