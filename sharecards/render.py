"""Drawing a fact-check's share card: a 1200 × 630 PNG (the size Open Graph and large Twitter cards expect)
with the claim, who said it, the verdict badge and the site's name.

The fonts are DejaVu Sans from Debian (fonts/, licence beside them): Latin, Greek, Cyrillic, Armenian,
Georgian, Hebrew and Arabic, shaped and ordered right to left by libraqm, which Pillow's wheels bundle.
Chinese, Japanese and Korean are not in it (a CJK font is 15 MB or more): they draw as empty boxes.
"""

import hashlib
import io
import re
import unicodedata
from functools import cache
from pathlib import Path

from django.utils import formats
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
# Bump when the drawing changes, so that every card's fingerprint (ETag) changes with it.
DESIGN = "1"

FONTS = Path(__file__).resolve().parent / "fonts"
INK, MUTED, PAPER, RULE = "#1a1d21", "#50565e", "#ffffff", "#d6d9dd"
FALLBACK_BADGE = "#4a5361"
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}")
CLAIM_SIZES = (64, 56, 50, 44)  # the largest that fits the claim in CLAIM_LINES
CLAIM_LINES = 4
ELLIPSIS = "…"


@cache
def font(size, *, bold=False):
    return ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size,
                              layout_engine=ImageFont.Layout.RAQM)


def facts(claim, *, site_name, last_change=None, last_change_at=None):
    """Everything a card shows, as plain values: the card is a function of these, and so is its fingerprint."""
    verdict = claim.published_verdict
    colour = verdict.rating.colour if HEX_COLOUR.fullmatch(verdict.rating.colour or "") else FALLBACK_BADGE
    dates = [f"Checked {formats.date_format(claim.published_at, 'j M Y')}"]
    if last_change:
        dates.append(f"{last_change.capitalize()} {formats.date_format(last_change_at, 'j M Y')}")
    return {
        "claim": claim.text,
        "claimant": claim.claimant.name if claim.claimant else "",
        "said_on": formats.date_format(claim.claim_date, "j M Y") if claim.claim_date else "",
        "rating": verdict.rating_label,
        "colour": colour,
        "dates": " · ".join(dates),
        "site": site_name,
    }


def fingerprint(values):
    """A short, stable digest of a card's values: its ETag, and the ``v`` in the og:image address, so that a
    corrected card is a new image to every platform that cached the old one."""
    raw = "\x1f".join([DESIGN, *(f"{key}={values[key]}" for key in sorted(values))])
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def is_rtl(text):
    """Whether the first strongly directional character of ``text`` is right-to-left."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def wrap(text, face, width):
    """Lines of ``text`` no wider than ``width``, broken between words; a word wider than a line (or a script
    written without spaces) is broken between characters."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if face.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
            line = ""
        for char in word:
            if face.getlength(line + char) > width and line:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines


def fit_claim(text):
    """(font, lines) for the claim: the largest size that fits it in CLAIM_LINES, else the smallest with
    the last line cut at a word and ended with an ellipsis."""
    width = WIDTH - 2 * MARGIN
    text = " ".join(text.split())
    # Arabic and Hebrew quote with guillemets, which the bidi algorithm mirrors to open on the right.
    quoted = f"«{text}»" if is_rtl(text) else f"“{text}”"
    for size in CLAIM_SIZES:
        face = font(size, bold=True)
        lines = wrap(quoted, face, width)
        if len(lines) <= CLAIM_LINES:
            return face, lines
    kept = lines[: CLAIM_LINES]
    last = kept[-1]
    while last and face.getlength(last + ELLIPSIS) > width:
        cut = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        last = cut.rstrip(" ,;:.—-")
    kept[-1] = last + ELLIPSIS
    return face, kept


def draw_text(draw, xy_left, text, face, fill, *, right):
    """Text at the left margin, or, for right-to-left text, against the right one (``right``)."""
    x, y = xy_left
    if is_rtl(text):
        draw.text((right, y), text, font=face, fill=fill, anchor="ra")
    else:
        draw.text((x, y), text, font=face, fill=fill, anchor="la")


def render(values):
    """The card as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    right = WIDTH - MARGIN
    # A band of the verdict's colour down the left edge, the site's name and a rule across the top.
    draw.rectangle((0, 0, 16, HEIGHT), fill=values["colour"])
    draw.text((MARGIN, 48), values["site"], font=font(30, bold=True), fill=INK, anchor="la")
    draw.text((right, 52), "FACT-CHECK", font=font(24, bold=True), fill=MUTED, anchor="ra")
    draw.line((MARGIN, 104, right, 104), fill=INK, width=4)

    face, lines = fit_claim(values["claim"])
    y = 136
    step = int(face.size * 1.25)
    for line in lines:
        draw_text(draw, (MARGIN, y), line, face, INK, right=right)
        y += step

    who = ", ".join(part for part in (values["claimant"], values["said_on"]) if part)
    if who:
        draw_text(draw, (MARGIN, y + 12), f"— {who}" if not is_rtl(who) else f"{who} —", font(30), MUTED,
                  right=right)

    # The verdict: a badge of the rating's colour with its label in white, colour and words together.
    badge_font = font(44, bold=True)
    label = values["rating"]
    box_top, pad_x, pad_y = HEIGHT - 150, 28, 16
    text_width = badge_font.getlength(label)
    ascent, descent = badge_font.getmetrics()
    box = (MARGIN, box_top, MARGIN + text_width + 2 * pad_x, box_top + ascent + descent + 2 * pad_y)
    draw.text((MARGIN, box_top - 36), "OUR VERDICT", font=font(22, bold=True), fill=MUTED, anchor="la")
    draw.rounded_rectangle(box, radius=10, fill=values["colour"])
    draw.text((MARGIN + pad_x, box_top + pad_y), label, font=badge_font, fill=PAPER, anchor="la")
    draw.text((right, box[3] - 4), values["dates"], font=font(24), fill=MUTED, anchor="rd")

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
