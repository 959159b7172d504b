"""Fetch a page as a Spanish-speaking visitor.

LocaleMiddleware leaves the request's language active in the thread, so put back the
language that was active before; otherwise later tests in this worker would run in Spanish.
"""

from django.utils import translation


def get_in_spanish(client, path, **kwargs):
    with translation.override(translation.get_language()):
        return client.get(path, headers={"accept-language": "es"}, **kwargs)
