"""The claim's history as the desk shows it: each event with its field-by-field diff in words."""

from django.contrib.auth import get_user_model

from claims.models import Claim, Evidence
from claims.people import display_name

EMPTY = "—"


def timeline(events):
    """``events`` as a list, each with ``.diff``: rows of (field, before, after) ready to print. An assignee is
    recorded by username (which identifies the account); it is shown by name, as people are everywhere."""
    events = list(events)
    names = _names_of_assignees(events)
    for event in events:
        event.diff = []
        for name, pair in (event.changes or {}).items():
            if not (isinstance(pair, list | tuple) and len(pair) == 2):
                continue
            if name == "assignee":
                pair = [names.get(value, value) if isinstance(value, str) else value for value in pair]
            event.diff.append((name.replace("_", " "), show(pair[0]), show(pair[1])))
    return events


def _names_of_assignees(events):
    """{username: display name} for every assignee the events record: one query, or none."""
    usernames = {value for event in events for value in (event.changes or {}).get("assignee") or []
                 if isinstance(value, str)}
    if not usernames:
        return {}
    users = get_user_model().objects.filter(username__in=usernames)
    return {user.get_username(): display_name(user) for user in users}


def show(value):
    """One recorded value in words: lists joined, evidence summarised, nothing as a dash."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(show(item) for item in value)
    if isinstance(value, dict):
        return _evidence(value) if "title" in value else "; ".join(f"{k}: {show(v)}" for k, v in value.items())
    if value in Claim.Status.values:
        return Claim.Status(value).label
    return str(value)


def _evidence(item):
    stance = Evidence.Stance(item["stance"]).label if item.get("stance") in Evidence.Stance.values else ""
    parts = [item["title"], stance.lower(), item.get("url") or "", "withheld" if item.get("withheld") else ""]
    return " · ".join(part for part in parts if part)
