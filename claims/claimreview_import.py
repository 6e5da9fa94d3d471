"""Reading ClaimReview for ``manage.py import_claimreview``: streaming, and mapping each record to a ``Review``.

Two shapes are read, without loading the whole file:

- schema.org ClaimReview JSON-LD: one object, a list of them, or an ``@graph`` of them;
- the Google Fact Check Tools ``claims:search`` response: ``{"claims": [{"text", "claimant", "claimDate",
  "claimReview": [{"publisher": {"name", "site"}, "url", "title", "reviewDate", "textualRating",
  "languageCode"}]}]}``. Each review of a claim is one record.

``reviews(stream)`` yields ``(position, Review)`` or ``(position, BadRecord)``; the position names the record in
the file (``[3]``, ``claims[2].claimReview[0]``). Nothing here writes: the command does, one record per
transaction, through ``workflow.import_claim_review``.
"""

import dataclasses
import datetime
import hashlib
import re

import ijson
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import Truncator, slugify

from .models import Claimant, http_url

SUMMARY_LIMIT = 600


class BadRecord(Exception):
    """A record that cannot be imported; the message says why, for the person running the import."""


class NotJSON(Exception):
    """The file itself is broken: reading stops here."""


@dataclasses.dataclass
class Review:
    text: str
    claimant_name: str
    claimant_kind: str
    claimant_same_as: str
    claim_date: datetime.date | None
    language: str
    appearance_url: str
    appearance_title: str
    review_url: str
    reviewed_at: datetime.datetime
    publisher: str
    rating_value: float | None
    best_rating: float | None
    worst_rating: float | None
    rating_name: str
    summary: str

    def rating(self, ratings):
        """The Rating this review's verdict maps to: an ordinal ``ratingValue`` on a 1–5 scale picks the rating
        with that value; otherwise the rating's name must match a label or slug. Else the record is bad:
        an importer must not invent verdicts."""
        value = self.rating_value
        if value is not None and self.best_rating in (None, 5) and self.worst_rating in (None, 1) \
                and float(value).is_integer() and 1 <= value <= 5:
            for rating in ratings:
                if rating.value == int(value):
                    return rating
        name = re.sub(r"[\s.!]+$", "", self.rating_name).strip().casefold()
        if name:
            for rating in ratings:
                if name in (rating.label.casefold(), rating.slug) or slugify(name) == rating.slug:
                    return rating
        if not self.rating_name and value is None:
            raise BadRecord("it has no rating")
        shown = self.rating_name or f"ratingValue {value}"
        raise BadRecord(f"its rating “{shown}” matches none of ours")

    @property
    def analysis(self):
        if self.publisher and self.rating_name:
            return f"Rated “{self.rating_name}” by {self.publisher} in the original review: <{self.review_url}>"
        return f"The original review: <{self.review_url}>"


# ---------------------------------------------------------------------------------------------------------
# Streaming.


def reviews(stream):
    """``(position, Review | BadRecord)`` for every record in ``stream`` (a binary file), in file order.
    Raises ``NotJSON`` when the file stops being valid JSON; the records before it have been yielded."""
    for position, shape, raw in _records(stream):
        if shape == "google":
            yield from _google_reviews(position, raw)
            continue
        try:
            yield position, from_claim_review(raw)
        except BadRecord as exc:
            yield position, exc


def _records(stream):
    events = _events(stream)
    first = next(events, None)
    if first is None:
        raise NotJSON("the file is empty")
    event = first[1]
    if event == "start_array":
        for position, raw in _items(events, "[{}]"):
            yield position, "claimreview", raw
    elif event == "start_map":
        yield from _top_object(events)
    else:
        raise NotJSON("expected a ClaimReview object, a list of them or a claims:search response")


def _events(stream):
    try:
        yield from ijson.parse(stream, use_float=True)
    except ijson.JSONError as exc:
        # The C parser's message runs over several lines with a drawn arrow; its first line says it all.
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "parse error"
        raise NotJSON(f"not valid JSON ({reason})") from None


def _top_object(events):
    """A top-level object: a claims:search response or an ``@graph`` (whose lists are streamed), or else a
    single ClaimReview (built whole: one record is small)."""
    top, streamed = {}, False
    for _, event, key in events:
        if event == "end_map":
            break
        _, event, value = next(events)
        if key in ("claims", "@graph") and event == "start_array":
            streamed = True
            shape = "google" if key == "claims" else "claimreview"
            for position, raw in _items(events, key + "[{}]"):
                yield position, shape, raw
        else:
            top[key] = _build(events, event, value)
    if not streamed:
        yield "the top-level object", "claimreview", top


def _items(events, position):
    for index, (_, event, value) in enumerate(events):
        if event == "end_array":
            return
        yield position.format(index), _build(events, event, value)


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
# Mapping one record.


def from_claim_review(raw):
    if not isinstance(raw, dict):
        raise BadRecord("it is not a JSON object")
    types = _list(raw.get("@type"))
    if "ClaimReview" not in types:
        raise BadRecord(f"its @type is {', '.join(map(str, types)) or 'missing'}, not ClaimReview")
    item = _first_object(raw.get("itemReviewed"), "itemReviewed")
    author = _first(item.get("author"))
    rating = _first_object(raw.get("reviewRating"), "reviewRating")
    appearance = _first(item.get("appearance")) or _first(item.get("firstAppearance"))
    rating_name = _text(rating.get("alternateName"), "alternateName") or _text(rating.get("name"), "rating name")
    return Review(
        text=_required(raw.get("claimReviewed"), "claimReviewed"),
        claimant_name=_name(author, "itemReviewed.author"),
        claimant_kind=_kind(author),
        claimant_same_as=_url(_first(author.get("sameAs")) if isinstance(author, dict) else "", "sameAs"),
        claim_date=_date(item.get("datePublished"), "itemReviewed.datePublished"),
        language=_language(raw.get("inLanguage")),
        appearance_url=_url(appearance.get("url") if isinstance(appearance, dict) else appearance, "appearance"),
        appearance_title=_appearance_title(appearance),
        review_url=_required(raw.get("url"), "url"),
        reviewed_at=_moment(raw.get("datePublished"), "datePublished"),
        publisher=_name(_first(raw.get("author")), "author", required=False),
        rating_value=_number(rating.get("ratingValue"), "ratingValue"),
        best_rating=_number(rating.get("bestRating"), "bestRating"),
        worst_rating=_number(rating.get("worstRating"), "worstRating"),
        rating_name=rating_name,
        summary=_summary(_text(rating.get("ratingExplanation"), "ratingExplanation")
                         or _text(raw.get("name"), "name") or _text(raw.get("headline"), "headline") or rating_name),
    )


def _google_reviews(position, claim):
    if not isinstance(claim, dict):
        yield position, BadRecord("it is not a JSON object")
        return
    found = _list(claim.get("claimReview"))
    if not found:
        yield position, BadRecord("it has no claimReview")
    for index, review in enumerate(found):
        where = f"{position}.claimReview[{index}]"
        try:
            yield where, from_google(claim, review)
        except BadRecord as exc:
            yield where, exc


def from_google(claim, review):
    if not isinstance(review, dict):
        raise BadRecord("the claimReview is not a JSON object")
    publisher = review.get("publisher") if isinstance(review.get("publisher"), dict) else {}
    rating_name = _text(review.get("textualRating"), "textualRating")
    return Review(
        text=_required(claim.get("text"), "text"),
        claimant_name=_required(claim.get("claimant"), "claimant"),
        claimant_kind=Claimant.Kind.PERSON,  # the format does not say; Claimant's default
        claimant_same_as="",
        claim_date=_date(claim.get("claimDate"), "claimDate"),
        language=_language(review.get("languageCode")),
        appearance_url="",
        appearance_title="",
        review_url=_required(review.get("url"), "url"),
        reviewed_at=_moment(review.get("reviewDate"), "reviewDate"),
        publisher=_text(publisher.get("name"), "publisher.name") or _text(publisher.get("site"), "publisher.site"),
        rating_value=None,
        best_rating=None,
        worst_rating=None,
        rating_name=rating_name,
        summary=_summary(_text(review.get("title"), "title") or rating_name),
    )


def claimant_slug(name):
    """ASCII, as the public claimant URLs need; a name with no Latin letters gets a stable hashed slug."""
    return slugify(name)[:200].strip("-") or "claimant-" + hashlib.sha1(name.encode()).hexdigest()[:12]


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


def _text(value, field):
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRecord(f"{field} is not text")
    return " ".join(value.split())


def _required(value, field):
    value = _text(value, field)
    if not value:
        raise BadRecord(f"it has no {field}")
    return value


def _name(value, field, *, required=True):
    if isinstance(value, dict):
        value = value.get("name")
    return _required(value, f"{field} name") if required else _text(value, f"{field} name")


def _kind(author):
    types = _list(author.get("@type")) if isinstance(author, dict) else []
    if "Person" in types:
        return Claimant.Kind.PERSON
    return Claimant.Kind.ORGANIZATION if types else Claimant.Kind.PERSON


def _url(value, field):
    value = _text(value, field)
    if value:
        try:
            http_url(value)
        except ValidationError:
            raise BadRecord(f"its {field} {value!r} is not an http(s) URL") from None
    return value


def _appearance_title(appearance):
    if not isinstance(appearance, dict):
        return ""
    return _text(appearance.get("headline"), "appearance headline") or _text(appearance.get("name"), "appearance name")


def _language(value):
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    return _text(value, "language") or "en"


def _number(value, field):
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise BadRecord(f"{field} {value!r} is not a number") from None


def _date(value, field):
    value = _text(value, field)
    if not value:
        return None
    try:
        parsed = parse_datetime(value) or parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadRecord(f"{field} {value!r} is not a date")
    return parsed.date() if isinstance(parsed, datetime.datetime) else parsed


def _moment(value, field):
    """A review's date as an aware datetime: midnight UTC for a bare date, as ClaimReview usually gives."""
    text = _required(value, field)
    try:
        parsed = parse_datetime(text)
    except ValueError:
        parsed = None
    if parsed is None:
        date = _date(text, field)
        return datetime.datetime.combine(date, datetime.time(), tzinfo=datetime.UTC)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, datetime.UTC)


def _summary(text):
    return Truncator(text).chars(SUMMARY_LIMIT)
