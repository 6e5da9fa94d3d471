"""Reading what fact-checkers publish, without loading a whole file: each record becomes a ``Record``.

Shapes read (each may be one JSON value or JSON Lines, one value a line):

- Google Fact Check Tools ``claims:search``: ``{"claims": [...], "nextPageToken": …}`` or the bare list of claim
  objects people save from it; each ``claimReview`` of a claim is one record;
- schema.org ClaimReview JSON-LD: one object, a list, an ``@graph`` (nested too), a page's ``mainEntity``, and a
  DataCommons ``DataFeed`` (``dataFeedElement`` → ``item``).

``records(stream)`` yields ``(position, Record | BadRecord)``; the position names the record in the file
(``[3].claimReview[0]``, ``line 4``). A record is refused only when it has no claim text, no review URL or no
publisher, or when a value in it is unreadable (a date that is no date, a number that is no number or is
infinite, a wrong type, an over-long value); the others are kept as written.
"""

import dataclasses
import datetime
import decimal
import email.utils
import math
import re
import unicodedata
from urllib.parse import urlsplit

import ijson

# Over these, a value is not a fact-check field but an accident (or an attack): the record is refused.
URL_LIMIT = 2000
TEXT_LIMIT = 20_000
NAME_LIMIT = 300
SHOWN = 60  # characters of a value quoted in a message

LIST_KEYS = ("claims", "@graph", "dataFeedElement", "itemListElement")


class BadRecord(Exception):
    """A record that cannot be imported; the message says why, for the person running the import."""


class NotJSON(Exception):
    """The file itself is broken: reading stops here."""


@dataclasses.dataclass
class Record:
    claim_reviewed: str
    review_url: str
    publisher_name: str
    publisher_site: str
    claimant_name: str = ""
    claimant_type: str = ""  # the JSON-LD @type of the claim's author, when given
    claimant_same_as: str = ""
    claim_date: datetime.date | None = None
    appearance_url: str = ""
    headline: str = ""
    textual_rating: str = ""
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None
    rating_explanation: str = ""
    language: str = ""
    review_date: datetime.datetime | None = None


# ---------------------------------------------------------------------------------------------------------
# Streaming.


def records(stream):
    """``(position, Record | BadRecord)`` for every record in ``stream`` (a binary file), in file order.
    Raises ``NotJSON`` when the file stops being valid JSON; the records before it have been yielded."""
    events = _events(stream)
    count = 0
    for _, event, _value in events:
        count += 1
        where = "" if count == 1 else f"value {count} "
        if event == "start_array":
            for index, raw in _items(events):
                yield from expand(raw, f"{where}[{index}]".strip())
        elif event == "start_map":
            yield from _top_object(events, where.strip())
        else:
            yield (where.strip() or "the file"), BadRecord("it is not a JSON object or list")
    if count == 0:
        raise NotJSON("the file is empty")


def _events(stream):
    try:
        yield from ijson.parse(stream, multiple_values=True)
    except ijson.JSONError as exc:
        # The C parser's message runs over several lines with a drawn arrow; its first line says it all.
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "parse error"
        raise NotJSON(f"not valid JSON ({_cut(reason)})") from None


def _top_object(events, where):
    """A top-level object: lists under LIST_KEYS are streamed, one item at a time; the rest is built whole."""
    top, streamed = {}, False
    prefix = f"{where} " if where else ""
    for _, event, key in events:
        if event == "end_map":
            break
        _, event, value = next(events)
        if key in LIST_KEYS and event == "start_array":
            streamed = True
            for index, raw in _items(events):
                if key == "claims":
                    yield from _google_claim(raw, f"{prefix}claims[{index}]")
                else:
                    yield from expand(raw, f"{prefix}{key}[{index}]")
        else:
            top[key] = _build(events, event, value)
    if not streamed or _is_claim_review(top) or "mainEntity" in top:
        yield from expand(top, where or "the top-level object", quiet=streamed)


def _items(events):
    for index, (_, event, value) in enumerate(events):
        if event == "end_array":
            return
        yield index, _build(events, event, value)


def _build(events, event, value):
    """The whole value that starts with (event, value), consuming its events."""
    if event not in ("start_map", "start_array"):
        return value
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    depth = 1
    for _, event, value in events:
        builder.event(event, value)
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                return builder.value
    raise NotJSON("the file ends in the middle of a record")


# ---------------------------------------------------------------------------------------------------------
# Finding the reviews in a value.


def expand(raw, position, *, quiet=False, depth=0):
    """The records in one value, whatever its shape. ``quiet``: say nothing of a value with no review in it."""
    if depth > 20:
        yield position, BadRecord("it nests too deeply")
        return
    if isinstance(raw, list):
        for index, item in enumerate(raw):
            yield from expand(item, f"{position}[{index}]", depth=depth + 1)
        return
    if not isinstance(raw, dict):
        yield position, BadRecord("it is not a JSON object")
        return
    if _is_claim_review(raw):
        yield position, _attempt(from_claim_review, raw)
        return
    if "claimReview" in raw:
        yield from _google_claim(raw, position)
        return
    found = False
    for key in (*LIST_KEYS, "mainEntity", "item"):
        if key in raw:
            found = True
            yield from expand(raw[key], f"{position}.{key}", quiet=quiet, depth=depth + 1)
    if not found and not quiet:
        types = ", ".join(map(str, _list(raw.get("@type")))) or "missing"
        yield position, BadRecord(f"it is no ClaimReview (its @type is {_cut(types)})")


def _is_claim_review(raw):
    return isinstance(raw, dict) and "ClaimReview" in [str(t).rsplit("/", 1)[-1] for t in _list(raw.get("@type"))]


def _attempt(function, *args):
    try:
        return function(*args)
    except BadRecord as exc:
        return exc


def _google_claim(claim, position):
    if not isinstance(claim, dict):
        yield position, BadRecord("it is not a JSON object")
        return
    found = _list(claim.get("claimReview"))
    if not found:
        yield position, BadRecord("it has no claimReview")
    for index, review in enumerate(found):
        yield f"{position}.claimReview[{index}]", _attempt(from_google, claim, review)


# ---------------------------------------------------------------------------------------------------------
# One record.


def from_google(claim, review):
    if not isinstance(review, dict):
        raise BadRecord("the claimReview is not a JSON object")
    name, site = _publisher(review.get("publisher"), "publisher")
    return Record(
        claim_reviewed=_required(claim.get("text"), "text", limit=TEXT_LIMIT),
        review_url=_review_url(review.get("url"), "url"),
        publisher_name=name,
        publisher_site=site,
        claimant_name=_text(claim.get("claimant"), "claimant"),
        claim_date=_date(claim.get("claimDate"), "claimDate"),
        headline=_text(review.get("title"), "title"),
        textual_rating=_text(review.get("textualRating"), "textualRating"),
        language=_language(review.get("languageCode")),
        review_date=_moment(review.get("reviewDate"), "reviewDate"),
    )


def from_claim_review(raw):
    item = _first_object(raw.get("itemReviewed"), "itemReviewed")
    author = _first(item.get("author"))
    rating = _first_object(raw.get("reviewRating"), "reviewRating")
    appearance = _first(item.get("appearance")) or _first(item.get("firstAppearance"))
    if isinstance(appearance, dict):
        appearance = appearance.get("url")
    name, site = _publisher(raw.get("author") or raw.get("publisher"), "author")
    return Record(
        claim_reviewed=_required(raw.get("claimReviewed"), "claimReviewed", limit=TEXT_LIMIT),
        review_url=_review_url(raw.get("url"), "url"),
        publisher_name=name,
        publisher_site=site,
        claimant_name=_name(author, "itemReviewed.author"),
        claimant_type=", ".join(str(t) for t in _list(author.get("@type"))) if isinstance(author, dict) else "",
        claimant_same_as=_url(_first(author.get("sameAs")) if isinstance(author, dict) else None, "sameAs"),
        claim_date=_date(item.get("datePublished"), "itemReviewed.datePublished"),
        appearance_url=_url(appearance, "appearance"),
        headline=_text(raw.get("headline") or raw.get("name"), "headline"),
        textual_rating=_text(rating.get("alternateName") or rating.get("name"), "alternateName"),
        rating_value=_number(rating.get("ratingValue"), "ratingValue"),
        best_rating=_number(rating.get("bestRating"), "bestRating"),
        worst_rating=_number(rating.get("worstRating"), "worstRating"),
        rating_explanation=_text(rating.get("ratingExplanation"), "ratingExplanation", limit=TEXT_LIMIT),
        language=_language(raw.get("inLanguage")),
        review_date=_moment(raw.get("datePublished"), "datePublished"),
    )


def _publisher(value, field):
    """(name, site) of whoever published the review: an object or a plain string (a name, or a web address)."""
    value = _first(value)
    if isinstance(value, dict):
        name = _text(value.get("name") or value.get("legalName"), f"{field}.name", limit=NAME_LIMIT)
        site = _site(value.get("site") or value.get("url"), f"{field}.url")
    else:
        text = _text(value, field, limit=NAME_LIMIT)
        looks_like_address = re.fullmatch(r"(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?", text, re.IGNORECASE)
        name, site = (text, _site(text, field)) if looks_like_address else (text, "")
    if not name and not site:
        raise BadRecord(f"it has no publisher ({field})")
    return name, site


def _site(value, field):
    text = _text(value, field, limit=URL_LIMIT)
    if not text:
        return ""
    host = urlsplit(text if "//" in text else "//" + text).hostname or ""
    host = host.removeprefix("www.")
    if len(host) > 253:
        raise BadRecord(f"its {field} host is {len(host)} characters long")
    return host


# ---------------------------------------------------------------------------------------------------------
# Values.

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _cut(value, limit=SHOWN):
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first(value):
    values = _list(value)
    return values[0] if values else None


def _first_object(value, field):
    value = _first(value)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadRecord(f"{field} is not an object")
    return value


def _text(value, field, *, limit=TEXT_LIMIT):
    """Text with control characters (NUL among them: PostgreSQL refuses it, SQLite keeps it) and runs of
    spaces removed, the same on both databases."""
    if value is None:
        return ""
    if isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise BadRecord(f"{field} is not text")
    if len(value) > limit:
        raise BadRecord(f"its {field} is {len(value):,} characters long, over the {limit:,} read")
    return " ".join(_CONTROL.sub("", value).split())


def _required(value, field, *, limit=TEXT_LIMIT):
    value = _text(value, field, limit=limit)
    if not value:
        raise BadRecord(f"it has no {field}")
    return value


def _name(value, field):
    if isinstance(value, dict):
        value = value.get("name")
    return _text(value, f"{field}.name", limit=NAME_LIMIT * 10)


def _url(value, field, *, required=False):
    text = _text(value, field, limit=10 * URL_LIMIT)
    if not text:
        if required:
            raise BadRecord(f"it has no {field}")
        return ""
    if len(text) > URL_LIMIT:
        raise BadRecord(f"its {field} is {len(text):,} characters long; the limit is {URL_LIMIT:,}")
    scheme = urlsplit(text).scheme.lower() if "://" in text else ""
    if scheme not in ("http", "https") or " " in text:
        raise BadRecord(f"its {field} {_cut(text)!r} is not an http(s) address")
    return text


def _review_url(value, field):
    return _url(value, field, required=True)


def _language(value):
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    text = _text(_first(value), "inLanguage", limit=NAME_LIMIT)
    if len(text) > 35:
        raise BadRecord(f"its language {_cut(text)!r} is no language tag")
    return text


def _number(value, field):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadRecord(f"{field} {value!r} is not a number")
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError, OverflowError, decimal.InvalidOperation):
        raise BadRecord(f"{field} {_cut(value)!r} is not a number") from None
    if not math.isfinite(number):
        raise BadRecord(f"{field} {_cut(value)!r} is not a finite number")
    return number


def _parse_moment(text):
    """ISO 8601 (a date, or a date and time with or without a zone), or RFC 2822 (``Wed, 11 Mar 2020 01:05:52
    UTC +00:00`` as Factstream writes it); None when it is neither."""
    iso = text.replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", text) else text
    try:
        return datetime.datetime.fromisoformat(iso)
    except ValueError:
        pass
    try:
        return datetime.datetime.combine(datetime.date.fromisoformat(text[:10]), datetime.time()) \
            if re.fullmatch(r"\d{4}-\d\d-\d\d", text) else None
    except ValueError:
        return None


def _parse_rfc2822(text):
    cleaned = re.sub(r"\b(UTC|GMT)\s+(?=[+-]\d\d:?\d\d$)", "", text)
    cleaned = re.sub(r"([+-]\d\d):(\d\d)$", r"\1\2", cleaned)
    try:
        return email.utils.parsedate_to_datetime(cleaned)
    except (TypeError, ValueError, IndexError):
        return None


def _moment(value, field):
    """An aware datetime, UTC when the text names no zone; None when missing."""
    text = _text(value, field, limit=NAME_LIMIT)
    if not text:
        return None
    parsed = _parse_moment(text) or _parse_rfc2822(text)
    if parsed is None or not 1000 <= parsed.year <= 9999:
        raise BadRecord(f"{field} {_cut(text)!r} is not a date")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed.astimezone(datetime.UTC)


def _date(value, field):
    moment = _moment(value, field)
    if moment is None:
        return None
    text = _text(value, field)
    # The calendar date as written, not as moved to UTC: "2020-03-11T23:00-05:00" was said on the 11th.
    if re.match(r"\d{4}-\d\d-\d\d", text):
        return datetime.date.fromisoformat(text[:10])
    return moment.date()


def platform_or_unnamed(name):
    """Whether a claimant's name is a platform or a crowd ("x.com", "Facebook posts", "social media users"),
    which our ClaimReview must not type as a Person."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    if re.search(r"\b[\w-]+\.(com|org|net|io|co|tv|me|ly|info|news)\b", folded):
        return True
    return bool(re.search(
        r"\b(facebook|twitter|instagram|tiktok|youtube|whatsapp|telegram|threads|reddit|weibo|wechat|x|"
        r"social media|posts?|users?|viral|bloggers?|websites?|multiple sources|various sources|sources|"
        r"memes?|messages?|videos?|accounts?|pages?|online|internet|netizens)\b", folded,
    )) or any(word in folded for word in ("مواقع", "منصات", "مستخدم", "حسابات", "صفحات", "تواصل"))
