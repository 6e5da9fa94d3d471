"""What a password change does to the account's other ways in.

Django calls every configured password validator's ``password_changed`` hook whenever a user is saved with a
new password: the desk's change form, the reset link, the admin and ``manage.py changepassword`` alike. So the
revocation lives here, once, rather than in each of those views. Sessions need nothing: Django stores a hash
of the password in each session and logs out every session whose hash no longer matches (the one that made
the change is updated by ``update_session_auth_hash``).
"""

from rest_framework.authtoken.models import Token


class RevokeTokensOnPasswordChange:
    """Listed in AUTH_PASSWORD_VALIDATORS for its hook; it accepts every password, and its help text (shown
    under the new-password field) says what a change does."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            Token.objects.filter(user=user).delete()

    def get_help_text(self):
        return "Setting a new password logs you out everywhere else and revokes your API token."
