"""Markdown for verdict analyses, rendered and then sanitised: only a small set of tags, and only
http(s) and mailto links, survive. Raw HTML in the input is escaped, never passed through."""

import re
from urllib.parse import quote, urlsplit, urlunsplit

import markdown as md
import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


# A link whose address was dropped (javascript:, a broken address) is left as its words: an <a> with no href is
# no link, and its rel attribute would be invalid HTML.
LINK_WITHOUT_HREF = re.compile(r"<a(?![^>]*\shref=)[^>]*>(.*?)</a>", re.S)


def render_markdown(text):
    html = md.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return LINK_WITHOUT_HREF.sub(r"\1", _clean(html))


def _clean(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
        attribute_filter=_valid_link,
    )


def _valid_link(element, attribute, value):
    if element == "a" and attribute == "href" and not value.lower().startswith("mailto:"):
        return href(value) or None
    return value


# Characters a URL's path and query may hold as they are (RFC 3986's unreserved and sub-delims, ":", "@", "/"
# and "%" that starts an escape); anything else is percent-encoded, as a browser does when it follows the link.
PATH_SAFE = "/:@!$&'()*+,;=-._~%"
STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def href(url):
    """``url`` as a link target the HTML standard accepts, or "" when it is not an http(s) address.

    Addresses typed by editors or imported from others pass the web-address check with characters a URL may
    not hold as they are (``|``, ``^``, ``{``, a ``%`` that escapes nothing, a second ``#``): those are
    percent-encoded, so the link leads where a browser would take it, and the page stays valid HTML."""
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        return ""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return ""
    if not parts.hostname:
        return ""

    def encoded(piece, safe):
        return quote(STRAY_PERCENT.sub("%25", piece), safe=safe)

    host = parts.netloc.rpartition("@")[2]  # without credentials, which a link must not carry
    return urlunsplit((parts.scheme, host, encoded(parts.path, PATH_SAFE),
                       encoded(parts.query, PATH_SAFE + "?"), encoded(parts.fragment, PATH_SAFE + "?")))
