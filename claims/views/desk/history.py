"""The claim's history as the desk shows it: each event with its field-by-field diff in words."""

from claims.models import Claim, Evidence

EMPTY = "—"


def timeline(events):
    """``events`` as a list, each with ``.diff``: rows of (field, before, after) ready to print."""
    events = list(events)
    for event in events:
        event.diff = [
            (name.replace("_", " "), show(pair[0]), show(pair[1]))
            for name, pair in (event.changes or {}).items()
            if isinstance(pair, list | tuple) and len(pair) == 2
        ]
    return events


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
