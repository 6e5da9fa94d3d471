"""Every page type, public and desk, is valid HTML: the Nu HTML Checker (vnu, from the npm registry's ``vnu-jar``,
installed by ``npm ci``; run on Debian's Java) reports no errors on any of them.

One fixture holds some of everything (published, corrected, updated, in review, researching, a new reader tip, a
closed duplicate, others' fact-checks, an archived copy, a broken link, a notification, a source with its text),
every URL name in the URLconfs is requested as the people who use it would (desk forms also posted with errors,
invalid web addresses typed into ``type=url`` fields included), and vnu runs once over all the documents: one JVM
start. A guard test fails when a URL name is neither requested here nor excluded with a reason.
"""

import datetime
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from claims import workflow
from claims.middleware import breaker
from claims.models import Claim, Evidence
from claims.tests.conftest import *  # noqa: F403 - the personas and the shared autouse fixtures
from claims.tests.factories import (
    ClaimantFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    in_review_claim,
    new_claim,
    published_claim,
    rating,
    researching_claim,
)
from claims.views import errors

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# URL names that answer no HTML page, each with the reason. Everything else must be requested by ``pages``.
EXCLUDED = {
    "public:feeds": "Atom feed (XML)",
    "public:sitemap": "XML sitemap",
    "public:robots": "plain text",
    "public:rating_styles": "CSS",
    "sharecards:card": "a PNG share image",
    "board:typeahead_claimants": "JSON for the type-ahead",
    "board:typeahead_sources": "JSON for the type-ahead",
    "schema": "the OpenAPI document (YAML/JSON)",
    "healthz": "plain-text probe",
    "readyz": "plain-text probe",
    "linkcheck:capture_warc": "a WARC download",
    "linkcheck:link_check": "POST action that redirects",
    "linkcheck:evidence_check": "POST action that redirects",
    "linkcheck:evidence_capture": "POST action that redirects",
    "notifications:read": "POST action that redirects",
    "notifications:read_all": "POST action that redirects",
    "desk:evidence_remove": "POST action that redirects (a refusal is a message on the claim page)",
    "desk:appearance_remove": "POST action that redirects (a refusal is a message on the claim page)",
    "desk:token_revoke": "POST action that redirects",
    "intake:capture": "POST action that redirects to the capture form",
    "intake:appearance": "POST action that redirects",
    "claimreview-with-others": "JSON API",
    "evidence-link": "JSON API",
    "evidence-check": "JSON API",
    "evidence-capture": "JSON API",
    "notifications": "JSON API",
    "notification-read": "JSON API",
}
EXCLUDED_NAMESPACES = {
    "api": "JSON API",
    "intake-api": "JSON API",
    "admin": "Django's own admin templates, which the project does not override; staff only",
}


@dataclass
class Page:
    """One request whose answer is an HTML page: ``who`` is a key of the clients dict ``render`` gets."""

    label: str
    path: str
    who: str = "anonymous"
    method: str = "get"
    data: dict = field(default_factory=dict)
    status: int = 200


def url_names(patterns=None, namespace=""):
    """Every (namespaced) URL name in the URLconfs, with the patterns that have none as "<namespace>:"."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name or ''}" if namespace else pattern.name or ""


def excluded(name):
    return name in EXCLUDED or name.split(":")[0] in EXCLUDED_NAMESPACES


# ---------------------------------------------------------------------------------------------------------
# Some of everything.


@pytest.fixture
def world(editor, other_editor, reviewer, other_reviewer, settings, tmp_path):
    from linkcheck.models import Link
    from linkcheck.tests.conftest import make_capture
    from notifications import notifying
    from notifications.models import Kind
    from reviews.tests.conftest import google_claim, run_import, write

    settings.MEDIA_ROOT = tmp_path / "media"
    lavrov = ClaimantFactory(name="Sergey Lavrov", slug="lavrov", description="Russian Foreign Minister",
                             same_as="https://en.wikipedia.org/wiki/Sergey_Lavrov#career#1990s")
    summit = TopicFactory(name="Budapest summit", slug="summit")
    source = SourceFactory(
        title="Briefing on the cancelled Budapest summit", url="https://news.example/briefing?id={42}|a", author="",
        published_on=datetime.date(2025, 10, 22),
        text="The minister spoke at length. Europe is sitting on three hundred billion euros of our money. "
             "Unemployment fell by 40 percent last year. We will see what happens.",
    )

    # Published, then reopened and corrected: a correction notice, withheld and archived evidence, an appearance.
    corrected = researching_claim(actor=editor, evidence=0, text="Frozen Russian assets total €300bn in Europe",
                                  claimant=lavrov, source=source, topics=[summit],
                                  quote="Europe is sitting on three hundred billion euros of our money.",
                                  claim_date=datetime.date(2025, 10, 21))
    for title, stance, withheld in [("Euroclear results", Evidence.Stance.REFUTES, False),
                                    ("Central-bank official", Evidence.Stance.SUPPORTS, True)]:
        workflow.add_evidence(claim=corrected, actor=editor, version=corrected.version, title=title, stance=stance,
                              url=f"https://evidence.example/{stance}?q=a|b&p=%zz", publisher="Euroclear",
                              archived_url="" if withheld else "https://archive.example/euroclear",
                              note="What this shows.", withheld=withheld,
                              withheld_reason="Protects an official" if withheld else "")
        corrected.refresh_from_db()
    workflow.add_appearance(claim=corrected, actor=editor, version=corrected.version,
                            url="https://social.example/post/1^2", outlet="Telegram",
                            seen_on=datetime.date(2025, 10, 23))
    corrected.refresh_from_db()
    workflow.propose_verdict(claim=corrected, actor=editor, version=corrected.version, rating=rating("false"),
                             summary="Euroclear holds about €185bn.", analysis="### Figures\n\n- **€185bn**")
    corrected.refresh_from_db()
    corrected = workflow.approve(claim=corrected, actor=reviewer, version=corrected.version)
    corrected = workflow.reopen(claim=corrected, actor=reviewer, version=corrected.version, reason="New report")
    workflow.propose_verdict(claim=corrected, actor=editor, version=corrected.version, rating=rating("mostly-false"),
                             summary="Only part of it is in Europe.",
                             analysis="Euroclear [now counts](https://euroclear.example/r|2025) **€194bn**, not what "
                                      "[this](javascript:alert(1)) says.",
                             correction_note="Euroclear’s autumn report raised its figure.")
    corrected.refresh_from_db()
    corrected = workflow.approve(claim=corrected, actor=reviewer, version=corrected.version)

    # Published, updated in public (an approved draft), then edited again: a pending draft on the desk.
    updated = published_claim(actor=editor, approver=reviewer, text="Unemployment fell by 40 percent",
                              claimant=lavrov, source=source, topics=[summit])
    updated = workflow.edit_claim(claim=updated, actor=editor, version=updated.version,
                                  text="Unemployment fell by 40 per cent last year")
    updated = workflow.approve_update(claim=updated, actor=reviewer, version=updated.version, note="Wording")
    updated = workflow.edit_claim(claim=updated, actor=editor, version=updated.version, quote="fell by 40 percent")
    workflow.add_appearance(claim=updated, actor=editor, version=updated.version, url="https://social.example/2")
    updated.refresh_from_db()

    in_review = in_review_claim(actor=editor, text="The summit was cancelled by Washington", claimant=lavrov)
    researching = researching_claim(actor=editor, text="Rubio and Lavrov spoke on 20 October", claimant=lavrov)
    tip = workflow.create_claim(actor=None, text="A reader says bread costs twice as much", is_reader_tip=True,
                                note="Reader tip.\nSeen at: https://social.example/3", tipster_email="r@example.org")
    duplicate = new_claim(actor=editor, text="Rubio and Lavrov spoke by phone")
    duplicate = workflow.close(claim=duplicate, actor=reviewer, version=duplicate.version,
                               reason=Claim.CloseReason.DUPLICATE, duplicate_of=researching)

    # Others' fact-checks: one of a claim of theirs only, one of our published claim.
    theirs = google_claim(1)
    theirs["claimReview"][0]["url"] = "https://fullfact.org/checks/1?from=a|b"
    out, err = run_import(write(tmp_path, [theirs, google_claim(2, text=updated.text)]))
    assert "imported" in out, (out, err)
    elsewhere = Claim.objects.exclude(pk__in=[c.pk for c in (corrected, updated, in_review, researching, tip,
                                                             duplicate)]).get()

    euroclear = Evidence.objects.get(claim=corrected, withheld=False)
    capture = make_capture(euroclear.url, evidence=euroclear)
    Link.objects.update_or_create(url="https://evidence.example/gone{1}", defaults={
        "health": Link.Health.BROKEN, "consecutive_failures": 3, "status": 404})
    gone = workflow.add_evidence(claim=researching, actor=editor, version=researching.version, title="Gone",
                                 url="https://evidence.example/gone{1}", stance=Evidence.Stance.CONTEXT)
    researching.refresh_from_db()
    notifying.notify(recipient=editor, kind=Kind.ASSIGNED, key="v", title=f"Claim {researching.pk} for you",
                     claim=researching, url=researching.get_desk_url())
    return {
        "corrected": corrected, "updated": updated, "in_review": in_review, "researching": researching, "tip": tip,
        "duplicate": duplicate, "elsewhere": elsewhere, "source": source, "claimant": lavrov, "topic": summit,
        "evidence": euroclear, "gone": gone, "capture": capture, "editor": editor, "reviewer": reviewer,
    }


BAD_URL = "javascript:alert(1)"  # refused by every web-address field: the re-render must keep it out of type=url


def pages(world):
    """Every page type, as (label, request)."""
    c, u, ir, r, tip = (world[k] for k in ("corrected", "updated", "in_review", "researching", "tip"))
    src, who, ev = world["source"], world["claimant"], world["evidence"]
    desk = "/desk/claims/{}/"
    uid = urlsafe_base64_encode(force_bytes(world["editor"].pk))
    token = default_token_generator.make_token(world["editor"])
    return [
        # The public site.
        Page("home", "/"),
        Page("claims index", "/claims/"),
        Page("claims index, filtered", "/claims/?q=euros&rating=bogus&topic=summit&claimant=lavrov"),
        Page("claims index, nothing found", "/claims/?q=zzzzqqq"),
        Page("fact-check, corrected", c.get_absolute_url()),
        Page("fact-check, updated and checked elsewhere", u.get_absolute_url()),
        Page("fact-check, short address", f"/claims/{c.pk}/", status=301),
        Page("claimant", f"/claimants/{who.slug}/"),
        Page("source", f"/sources/{src.pk}/"),
        Page("topic", f"/topics/{world['topic'].slug}/"),
        Page("corrections", "/corrections/"),
        Page("methodology", "/methodology/"),
        Page("tip form", "/submit/"),
        Page("tip form with errors", "/submit/", method="post", data={"text": "", "url": BAD_URL,
                                                                       "email": "not-an-address"}, status=400),
        Page("tip thanks", "/submit/thanks/"),
        Page("checked elsewhere", "/checked-elsewhere/"),
        Page("checked elsewhere, searched", "/checked-elsewhere/?q=frozen&publisher=fullfact.org&rating=false"),
        Page("checked elsewhere, a claim", f"/checked-elsewhere/{world['elsewhere'].pk}/"),
        Page("archived copy", f"/archive/{world['capture'].pk}/"),
        Page("API docs (Swagger UI)", "/api/docs/"),
        Page("API docs (Redoc)", "/api/redoc/"),
        # Accounts.
        Page("log-in", "/accounts/login/?next=/desk/"),
        Page("log-in with errors", "/accounts/login/", method="post", data={"username": "erin", "password": "x"}),
        Page("logged out (back home)", "/accounts/logout/", who="leaving", method="post", status=302),
        Page("password change", "/accounts/password_change/", who="editor"),
        Page("password change with errors", "/accounts/password_change/", who="editor", method="post",
             data={"old_password": "wrong", "new_password1": "a", "new_password2": "b"}),
        Page("password change done", "/accounts/password_change/done/", who="editor"),
        Page("password reset", "/accounts/password_reset/"),
        Page("password reset with errors", "/accounts/password_reset/", method="post", data={"email": "nope"}),
        Page("password reset done", "/accounts/password_reset/done/"),
        Page("password reset confirm", f"/accounts/reset/{uid}/{token}/", status=302),
        Page("password reset, a bad link", f"/accounts/reset/{uid}/bad-token/"),
        Page("password reset complete", "/accounts/reset/done/"),
        # The desk.
        Page("desk dashboard", "/desk/", who="editor"),
        Page("desk dashboard, reviewer", "/desk/", who="reviewer"),
        Page("desk refused (not an editor)", "/desk/", who="reader", status=403),
        Page("capture a claim", f"/desk/claims/new/?source={src.pk}&quote=Europe&quote_start=30",
             who="editor"),
        Page("capture a claim with errors", "/desk/claims/new/", who="editor", method="post",
             data={"text": "", "new_source_url": BAD_URL, "claim_date": "yesterday", "language": "??"}),
        Page("desk claim, new reader tip", desk.format(tip.pk), who="reviewer"),
        Page("desk claim, researching", desk.format(r.pk), who="editor"),
        Page("desk claim, in review", desk.format(ir.pk), who="reviewer"),
        Page("desk claim, corrected", desk.format(c.pk), who="reviewer"),
        Page("desk claim, pending draft", desk.format(u.pk), who="reviewer"),
        Page("desk claim, closed duplicate", desk.format(world["duplicate"].pk), who="reviewer"),
        Page("desk claim, edit with errors", desk.format(r.pk), who="editor", method="post",
             data={"version": r.version, "text": "", "new_source_url": BAD_URL, "language": "en"}),
        Page("desk claim, stale edit", desk.format(r.pk), who="editor", method="post",
             data={"version": 1, "text": "Rubio and Lavrov spoke", "language": "en"}),
        Page("evidence add with errors", desk.format(r.pk) + "evidence/", who="editor", method="post",
             data={"version": r.version, "title": "", "url": BAD_URL, "archived_url": "ftp://x", "withheld": "on"}),
        Page("evidence edit, closed to changes", desk.format(c.pk) + f"evidence/{ev.pk}/", who="editor"),
        Page("evidence edit", desk.format(r.pk) + f"evidence/{world['gone'].pk}/", who="editor"),
        Page("evidence edit with errors", desk.format(r.pk) + f"evidence/{world['gone'].pk}/", who="editor",
             method="post", data={"version": r.version, "title": "", "url": BAD_URL, "stance": "refutes"}),
        Page("verdict with errors", desk.format(r.pk) + "verdict/", who="editor", method="post",
             data={"version": r.version, "summary": ""}),
        Page("verdict preview", desk.format(r.pk) + "verdict/", who="editor", method="post",
             data={"version": r.version, "action": "preview", "analysis": "## Heading\n\n*emphasis*"}),
        Page("preview of a verdict in review", desk.format(ir.pk) + "preview/", who="reviewer"),
        Page("preview of a draft update", desk.format(u.pk) + "preview/?note=Figures+revised", who="reviewer"),
        Page("approve, confirm", desk.format(ir.pk) + "approve/", who="reviewer", method="post",
             data={"version": ir.version}),
        Page("approve with errors", desk.format(ir.pk) + "approve/", who="reviewer", method="post", data={}),
        Page("send back with errors", desk.format(ir.pk) + "send-back/", who="reviewer", method="post",
             data={"version": ir.version, "note": ""}),
        Page("reopen with errors", desk.format(c.pk) + "reopen/", who="reviewer", method="post",
             data={"version": c.version, "reason": ""}),
        Page("close with errors", desk.format(r.pk) + "close/", who="reviewer", method="post",
             data={"version": r.version, "reason": "duplicate"}),
        Page("assign with errors", desk.format(r.pk) + "assign/", who="editor", method="post",
             data={"version": r.version, "assignee": "999999"}),
        Page("approve update, confirm", desk.format(u.pk) + "update/approve/", who="reviewer", method="post",
             data={"version": u.version, "note": "Figures revised."}),
        Page("approve update with errors", desk.format(u.pk) + "update/approve/", who="reviewer", method="post",
             data={"version": u.version}),
        Page("discard draft, stale", desk.format(u.pk) + "update/discard/", who="editor", method="post",
             data={"version": 1}),
        Page("appearance with errors", desk.format(c.pk) + "appearances/", who="editor", method="post",
             data={"version": c.version, "url": BAD_URL, "archived_url": BAD_URL, "seen_on": "soon"}),
        Page("sources", "/desk/sources/?q=briefing", who="editor"),
        Page("new source", "/desk/sources/new/", who="editor"),
        Page("new source with errors", "/desk/sources/new/", who="editor", method="post",
             data={"title": "", "url": BAD_URL, "published_on": "last week", "language": "??"}),
        Page("desk source", f"/desk/sources/{src.pk}/", who="editor"),
        Page("source, annotated", f"/desk/sources/{src.pk}/annotated/", who="editor"),
        Page("intake workspace", f"/desk/sources/{src.pk}/intake/", who="editor"),
        Page("intake workspace with errors", f"/desk/sources/{src.pk}/intake/", who="editor", method="post",
             data={"text": "", "url": "not a web address"}),
        Page("claimants", "/desk/claimants/?q=lav", who="editor"),
        Page("new claimant", "/desk/claimants/new/", who="editor"),
        Page("desk claimant with errors", f"/desk/claimants/{who.pk}/", who="editor", method="post",
             data={"name": "", "kind": "robot", "same_as": BAD_URL}),
        Page("desk claimant", f"/desk/claimants/{who.pk}/", who="editor"),
        Page("profile", "/desk/profile/", who="editor"),
        Page("profile, new token", "/desk/profile/token/", who="editor", method="post"),
        Page("broken links", "/desk/links/", who="editor"),
        Page("inbox", "/desk/inbox/", who="editor"),
        Page("email preferences", "/desk/inbox/preferences/", who="editor"),
        # The board (last: the bulk action changes a claim the pages above read).
        Page("board", "/desk/board/", who="editor"),
        Page("board, one column", "/desk/board/?status=researching", who="editor"),
        Page("tip reply", desk.format(tip.pk) + "reply/", who="editor"),
        Page("tip reply with errors", desk.format(tip.pk) + "reply/", who="editor", method="post",
             data={"version": tip.version, "message": ""}, status=400),
        Page("bulk action refused", "/desk/board/bulk/", who="editor", method="post", data={"action": ""},
             status=400),
        Page("bulk action", "/desk/board/bulk/", who="reviewer", method="post", status=302,
             data={"action": "not_checkable", "claim": [f"{tip.pk}:{tip.version}"], "submission_key": "vnu-bulk"}),
        Page("bulk action results", "/desk/board/bulk/vnu-bulk/", who="reviewer"),
    ]


def clients(world):
    reader = UserFactory(username="reader", groups=[])
    made = {"anonymous": Client()}
    for name, user in (("editor", world["editor"]), ("reviewer", world["reviewer"]), ("reader", reader),
                       ("leaving", world["editor"])):
        made[name] = Client()
        made[name].force_login(user)
    return made


def error_pages(world):
    """The error pages, as (label, status, html): each through the code that serves it."""
    anonymous = Client()
    found = [("400 (a bad Host header)", anonymous.get("/", HTTP_HOST="bad host")),
             ("404", anonymous.get("/no-such-page/")),
             ("404 (a hidden claim)", anonymous.get(world["researching"].get_absolute_url())),
             ("413", anonymous.post("/submit/", data=b"x" * 10, content_type="application/x-www-form-urlencoded",
                                    CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))),
             ("500", errors.server_error(RequestFactory().get("/")))]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = anonymous.post("/accounts/login/", {"username": "erin", "password": "wrong"}, REMOTE_ADDR="192.0.2.1")
    found.append(("429 (log-in locked)", locked))
    for n in range(settings.LOGIN_FAILURES_PER_ADDRESS + 1):
        slowed = anonymous.post("/accounts/login/", {"username": f"guess{n}", "password": "x"}, REMOTE_ADDR="192.0.2.2")
    found.append(("429 (log-ins slowed down)", slowed))
    breaker.failed()
    try:
        found.append(("503", anonymous.get("/methodology/")))
    finally:
        breaker.succeeded()
    return found


# ---------------------------------------------------------------------------------------------------------
# The tests.


def test_every_url_name_is_checked_or_excluded_with_a_reason(world):
    requested = {resolve(urlsplit(page.path).path).view_name for page in pages(world)}
    missing = sorted(name for name in set(url_names()) if name not in requested and not excluded(name))
    assert not missing, f"Add these URL names to pages() in {__file__}, or to EXCLUDED with a reason: {missing}"
    stale = sorted(set(EXCLUDED) - set(url_names()))
    assert not stale, f"EXCLUDED names URLs that no longer exist: {stale}"


def vnu_available():
    if shutil.which("java") and VNU.exists():
        return
    needs = {"Java (apt-get install default-jre-headless)": shutil.which("java"),
             f"{VNU} (bin/setup runs npm ci)": VNU.exists()}
    missing = " and ".join(what for what, there in needs.items() if not there)
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the Nu HTML Checker, and it needs {missing}")
    pytest.skip(f"The Nu HTML Checker needs {missing}; CI installs it and runs this test")


def fetch(page, client):
    """The page's answer, and what is wrong with it besides its HTML."""
    response = getattr(client, page.method)(page.path, page.data)
    if response.status_code in (301, 302) and page.status == response.status_code:
        response = client.get(response["Location"])  # the page it leads to, e.g. the set-password form
        expected = 200
    else:
        expected = page.status
    wrong = []
    if response.status_code != expected:
        wrong.append(f"{page.label}: {page.method.upper()} {page.path} answered {response.status_code}")
    if "with errors" in page.label and b'class="errorlist' not in response.content:
        wrong.append(f"{page.label}: the form came back without its errors")
    return response, wrong


def vnu(folder):
    """The Nu HTML Checker's errors in every file of ``folder``: one JVM for all of them. --errors-only:
    warnings (e.g. a redundant role) are advice, not failures."""
    files = sorted(str(path) for path in folder.iterdir())
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                         capture_output=True, text=True, timeout=600)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    assert messages or run.returncode == 0, run.stderr
    return messages


def test_every_page_type_is_valid_html(world, tmp_path):
    vnu_available()
    made = clients(world)
    documents, wrong, every = {}, [], pages(world)
    assert len({page.label for page in every}) == len(every), "two pages share a label"
    for page in every:
        documents[page.label], problems = fetch(page, made[page.who])
        wrong += problems
    for label, response in error_pages(world):
        documents[f"error {label}"] = response
        if response.status_code != int(label[:3]):
            wrong.append(f"error {label}: answered {response.status_code}")
    assert "Too many failed log-in attempts" in documents["error 429 (log-in locked)"].content.decode()
    assert "slowed down" in documents["error 429 (log-ins slowed down)"].content.decode()
    assert not wrong, "\n".join(wrong)

    folder = tmp_path / "pages"
    folder.mkdir()
    labels = {}
    for number, (label, response) in enumerate(documents.items()):
        assert response["Content-Type"].startswith("text/html"), (label, response["Content-Type"])
        path = folder / f"{number:03}-{re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')}.html"
        path.write_bytes(response.content)
        labels[path.name] = label
    found = []
    for message in vnu(folder):
        name = Path(urlsplit(message.get("url", "")).path).name
        found.append(f"{labels.get(name, name)} ({name}) line {message.get('lastLine', '?')}: {message['message']}"
                     f"\n    {message.get('extract', '').strip()}")
    assert not found, f"{len(found)} HTML errors:\n" + "\n".join(found)
