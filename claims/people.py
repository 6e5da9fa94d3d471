"""How the register names the people who work on it, the same way everywhere: desk, public pages (where
DESIGN.md makes names public: who wrote and who approved a fact-check), history, e-mails and the API."""


def display_name(user):
    """A user's full name, else their username; "" for nobody. The history keeps this as it was at the time
    (``ClaimEvent.actor_name``, ``Verdict.proposed_by_name``), so a renamed or deleted account rewrites nothing."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
