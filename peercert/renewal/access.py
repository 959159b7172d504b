"""This app's rows of the access matrix (see peercert/web/tests/test_access_matrix.py)."""

ACCESS: dict = {}
