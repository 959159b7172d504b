"""Vocabulary for each app's declared access matrix (peercert/<app>/access.py).

ACCESS maps a route to who may reach it:
  - a Django URL name ("accounts:user_detail") or an API operation ("GET /api/v1/me");
  - "allow": PUBLIC (everyone, signed in or not), SIGNED_IN (any signed-in user), or a
    set of role values;
  - "kwargs": optional callable(world) -> URL kwargs, where world is the test's set of
    sample records (see peercert/web/tests/test_access_matrix.py).
The matrix test walks every route with every role and anonymous visitors; a route
missing from the matrix fails it.
"""

PUBLIC = "public"
SIGNED_IN = "signed_in"
