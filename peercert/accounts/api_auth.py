"""API authentication: the browser session, or a personal token sent as `Authorization: Bearer pc_…`."""

from ninja.security import HttpBearer, SessionAuth

from peercert.accounts.services import api_token_authenticate


class PersonalTokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is None:
            return None
        request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


API_AUTH = [ActiveSessionAuth(), PersonalTokenAuth()]
