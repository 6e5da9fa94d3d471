"""A source's text from what an editor gives: pasted text, or an uploaded plain-text, HTML or PDF file.

Every refusal is an ``IntakeError`` with a message for the editor; nothing here raises anything else for
bad input.
"""

import io
import logging

import charset_normalizer

from . import limits

logger = logging.getLogger(__name__)


class IntakeError(ValueError):
    pass


def clean_text(text):
    """Line endings unified, NULs and surrounding blank space removed; within the length limit."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
    if not text:
        raise IntakeError("There is no text to analyse.")
    if len(text) > limits.MAX_TEXT_CHARACTERS:
        raise IntakeError(
            f"The text has {len(text):,} characters; the limit is {limits.MAX_TEXT_CHARACTERS:,}. "
            "Paste the part of the source that holds the claims."
        )
    return text


def from_upload(data, *, name="", content_type=""):
    """The text of an uploaded file's bytes."""
    if len(data) > limits.MAX_UPLOAD_BYTES:
        raise IntakeError(f"The file is {len(data) / 1e6:.1f} MB; the limit is {limits.MAX_UPLOAD_BYTES / 1e6:.0f} MB.")
    if not data.strip():
        raise IntakeError("The file is empty.")
    name, content_type = name.lower(), content_type.lower()
    if data.startswith(b"%PDF") or name.endswith(".pdf") or content_type == "application/pdf":
        return clean_text(from_pdf(data))
    text = decode(data)
    head = text[:2000].lstrip().lower()
    if "html" in content_type or name.endswith((".html", ".htm")) or head.startswith(("<!doctype html", "<html")):
        return clean_text(from_html(text))
    return clean_text(text)


def from_url(url):
    """The main text of the page or file at ``url``, fetched by the project's one safe fetcher (private
    addresses, size, time and redirects refused there)."""
    from factcheck.fetch import FetchError, fetch

    try:
        fetched = fetch(url, max_bytes=limits.MAX_UPLOAD_BYTES * 2)
    except FetchError as exc:
        raise IntakeError(f"Could not fetch {url}: {exc.message}") from exc
    if not fetched.ok:
        raise IntakeError(f"Could not fetch {url}: the server answered {fetched.status}.")
    name = fetched.final_url.rsplit("/", 1)[-1]
    return from_upload(fetched.body, name=name, content_type=fetched.content_type or "")


def decode(data):
    """Bytes to text in their detected encoding; binary files are refused."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IntakeError("This looks like a binary file, not text, HTML or PDF.")
    match = charset_normalizer.from_bytes(data).best()
    if match is None:
        raise IntakeError("This looks like a binary file, not text, HTML or PDF.")
    return str(match)


def from_html(html):
    """The article's main text (trafilatura); scripts, styles and page furniture are dropped, never run."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise IntakeError("No article text was found in this HTML page.")
    return text


def from_pdf(data):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        logger.info("unreadable PDF: %s", exc)
        raise IntakeError("This PDF could not be read.") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise IntakeError("This PDF has no text layer (a scan?): there is nothing to analyse.")
    return text
