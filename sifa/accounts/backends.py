"""How a signed-in user is found on every request."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithOrgBackend(ModelBackend):
    """Django's ModelBackend, with the user's organisation read in the same query.

    Every page scopes by ``user.org`` (the cases a user sees, the menu, the frame), and
    it was a second query on every request (issue 19); the API's token lookup reads it
    the same way (``tokens.find``). Passwords, permissions and ``is_active`` are Django's.
    A session keeps the path of the backend that signed it in: those signed in under
    Django's ModelBackend before this one came are signed out once (after 15 idle
    minutes they would be anyway)."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("org").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
