"""Who is acting: every service takes an `actor` — a signed-in user, or a string naming a task or command that acts
for the system."""


def actor_identity(actor) -> tuple[object | None, str] | None:
    """(user, username) for an active signed-in user, (None, label) for a task or command, None for anyone else."""
    if isinstance(actor, str) and actor:
        return None, actor
    if getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", True):
        return actor, actor.get_username()
    return None
