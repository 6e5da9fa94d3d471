"""Archived copies: the page as received, in a WARC file (warcio), and the text extracted from it, stored through
Django's storage API. Readers get the text on a page of ours, or the WARC as a download; never the captured
HTML served from our origin, where its scripts would run as us."""

import hashlib
import html.parser
import http
import io
import re

from django.core.files.base import ContentFile
from django.utils import timezone
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from factcheck.fetch import user_agent

# The fetcher hands over the body decoded; these headers described the encoded transfer, not what we store.
TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "connection", "keep-alive"}


def warc_bytes(fetched, *, captured_at=None):
    """A gzipped WARC holding a warcinfo record and the response record for ``fetched``."""
    captured_at = captured_at or timezone.now()
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    date = captured_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    info = writer.create_warcinfo_record(
        "capture.warc.gz", {"software": user_agent(), "format": "WARC File Format 1.1"}
    )
    writer.write_record(info)
    headers = [(name, value) for name, value in fetched.headers.items() if name not in TRANSFER_HEADERS]
    headers.append(("content-length", str(len(fetched.body))))
    try:
        reason = http.HTTPStatus(fetched.status).phrase
    except ValueError:
        reason = "Unknown"
    http_headers = StatusAndHeaders(f"{fetched.status} {reason}", headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        fetched.final_url, "response", payload=io.BytesIO(fetched.body), http_headers=http_headers,
        warc_headers_dict={"WARC-Date": date, "WARC-Payload-Digest": "sha256:" + fetched.sha256},
    )
    writer.write_record(record)
    return buffer.getvalue()


class _TextExtractor(html.parser.HTMLParser):
    SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "object", "head"}
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote",
             "header", "footer", "pre", "table", "ul", "ol", "dd", "dt", "figcaption", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.title, self.skipping, self.in_title = [], [], 0, False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        elif tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.skipping:
            self.parts.append(data)


def _charset(fetched):
    match = re.search(r"charset=([\w-]+)", fetched.headers.get("content-type", ""), re.I)
    if not match:
        match = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", fetched.body[:4096], re.I)
        charset = match.group(1).decode("ascii", "ignore") if match else "utf-8"
    else:
        charset = match.group(1)
    try:
        "".encode(charset)
    except LookupError:
        charset = "utf-8"
    return charset


def extract_text(fetched):
    """The readable text of an HTML or plain-text page (scripts, styles and markup dropped); "" for others."""
    if fetched.content_type not in {"text/html", "application/xhtml+xml", "text/plain", ""}:
        return ""
    text = fetched.body.decode(_charset(fetched), errors="replace")
    if fetched.content_type == "text/plain":
        return text.strip()
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    title = " ".join("".join(parser.title).split())
    return f"{title}\n\n{body}" if title else body


def store_capture(capture, fetched, *, now=None):
    """Write the WARC and text files of ``capture`` and record the page's facts on it (not saved)."""
    now = now or timezone.now()
    data = warc_bytes(fetched, captured_at=now)
    stem = f"{now:%Y%m%dT%H%M%S}-{fetched.sha256[:12]}"
    capture.warc.save(f"{stem}.warc.gz", ContentFile(data), save=False)
    capture.text.save(f"{stem}.txt", ContentFile(extract_text(fetched).encode()), save=False)
    capture.warc_sha256 = hashlib.sha256(data).hexdigest()
    capture.sha256 = fetched.sha256
    capture.size = len(fetched.body)
    capture.status = fetched.status
    capture.final_url = fetched.final_url[:2000]
    capture.content_type = fetched.content_type[:200]
    capture.captured_at = now
    capture.state = capture.State.CAPTURED
    capture.error = ""
