"""Hostile input in a real browser: XSS payloads in every field a person types, on every page that shows them.

Each payload both opens a dialog and sets ``window.__xss``. The sweep runs twice:

- with the Content-Security-Policy switched off in the browser, so that escaping alone must keep every payload
  inert: no dialog, no ``window.__xss``, no injected script, event handler, ``javascript:`` link or frame in
  the DOM, and no request to another host;
- with the policy enforced, where any inline code on any page (ours or a payload's) shows up as a violation in
  the console: there must be none at all.
"""

from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from claims import workflow
from claims.models import Appearance, Claim, Claimant, Evidence, Rating, Source, Topic

from .browser import new_context
from .factories import EditorFactory, ReviewerFactory, rating

pytestmark = pytest.mark.slow

ATOM = "http://www.w3.org/2005/Atom"

PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    '"><img src=x onerror="window.__xss=1;alert(1)">',
    "'><svg onload=\"window.__xss=1;alert(1)\">",
    "<svg/onload=window.__xss=1>",
    "javascript:window.__xss=1;alert(1)",
    "[click](javascript:window.__xss=1) [x](JaVaScRiPt:alert(1))",
    '<a href="javascript:window.__xss=1;alert(1)">x</a>',
    "</script><script>window.__xss=1;alert(1)</script>",
    "</title></textarea></style><script>window.__xss=1</script>",
    '" autofocus onfocus="window.__xss=1" x="',
    "' autofocus onfocus='window.__xss=1' x='",
    '<details open ontoggle="window.__xss=1">x</details>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    '<!--<img src="--><img src=x onerror=window.__xss=1>">',
    "![x](https://evil.example/pixel.png) [d](data:text/html,<script>alert(1)</script>)",
    "{{7*7}} {% debug %} ${7*7} #{7*7}",
    "\u202eevil\u202c \u2067RTL\u2069 \u200f<b>x</b> مرحبا <script>window.__xss=1</script>",
]
# Markdown's own ways to smuggle a link or an attribute, for the verdict analysis.
MARKDOWN_TRICKS = (
    "[click](javascript:window.__xss=1)\n\n"
    '<a href="javascript:window.__xss=1">raw</a>\n\n'
    '![img](x" onerror="window.__xss=1)\n\n'
    "[by reference][evil]\n\n[evil]: javascript:window.__xss=1\n\n"
    "<javascript:window.__xss=1>\n\n"
    "[spaced]( javascript:window.__xss=1 )"
)

# Anything a payload could have added to the page, looked for in the DOM rather than waited for.
FIND_INJECTIONS = """() => {
  const found = [];
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "srcdoc", "data"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) found.push(`${el.tagName} ${attr.name}`);
      if (urlAttributes.includes(attr.name.toLowerCase()) && /^\\s*(javascript|vbscript|data):/i.test(attr.value))
        found.push(`${el.tagName} ${attr.name}=${attr.value}`);
    }
  }
  for (const el of document.querySelectorAll("iframe, frame, object, embed, base, meta[http-equiv], style"))
    if (!el.nonce) found.push(el.outerHTML.slice(0, 80));
  for (const script of document.scripts) {
    const ours = (script.src && new URL(script.src).origin === location.origin) || script.nonce;
    if (!ours && script.type !== "application/ld+json") found.push(script.outerHTML.slice(0, 80));
  }
  const data = document.querySelectorAll('script[type="application/ld+json"]');
  if (data.length > 1) found.push(`${data.length} JSON-LD blocks`);
  for (const block of data) { try { JSON.parse(block.textContent); } catch (e) { found.push("broken JSON-LD"); } }
  return found;
}"""


def build_hostile_newsroom(editor, reviewer):
    """Every field a person types, filled with a payload, through the workflow (the ORM for reference data,
    which the desk's forms save directly). Returns the paths to visit as {who: [path, …]}."""
    mallory = EditorFactory(username="mallory", first_name=PAYLOADS[1], last_name=PAYLOADS[0])
    Rating.objects.create(slug="odd", label="Odd <img src=x onerror=alert(1)>", colour="#4a5361", order=99,
                          definition=f"Definition {PAYLOADS[0]} {PAYLOADS[5]}")
    public, desk = [], []
    in_research = None
    for i, payload in enumerate(PAYLOADS):
        claimant = Claimant.objects.create(name=f"Claimant {i} {payload}", slug=f"xss-{i}",
                                           description=f"Minister {payload}")
        quote_text = f"the quote {i} {payload}"
        source = Source.objects.create(title=f"Source {i} {payload}", url=f"https://news.example/xss/{i}",
                                       outlet=f"Outlet {payload}", author=f"Author {payload}",
                                       text=f"Before {payload}. Then {quote_text} and after {payload}.")
        topic = Topic.objects.create(name=f"T{i} {payload}", slug=f"xss-topic-{i}")

        claim = workflow.create_claim(actor=editor, text=f"Draft {i}", claimant=claimant, quote=quote_text,
                                      source=source, topics=[topic])
        claim = workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text=f"Claim {i} {payload}")
        claim = workflow.start_research(claim=claim, actor=editor, version=claim.version)
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title=f"Evidence {payload}",
                              url=f"https://evidence.example/{i}", archived_url=f"https://archive.example/{i}",
                              publisher=f"Publisher {payload}", note=f"Note {payload}",
                              stance=Evidence.Stance.REFUTES)
        claim.refresh_from_db()
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title=f"Withheld {payload}",
                              note=f"Withheld note {payload}", withheld=True, withheld_reason=f"Risk {payload}")
        claim.refresh_from_db()
        Appearance.objects.create(claim=claim, url=f"https://social.example/{i}", outlet=f"Outlet {payload}")
        analysis = f"Analysis {payload}\n\n{MARKDOWN_TRICKS}"
        workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("false"),
                                 summary=f"Summary {payload}", analysis=analysis)
        claim.refresh_from_db()
        claim = workflow.send_back(claim=claim, actor=reviewer, version=claim.version, note=f"Back {payload}")
        workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("false"),
                                 summary=f"Summary {payload}", analysis=analysis)
        claim.refresh_from_db()
        claim = workflow.approve(claim=claim, actor=reviewer, version=claim.version, note=f"Approved {payload}")
        claim = workflow.reopen(claim=claim, actor=reviewer, version=claim.version, reason=f"Reopened {payload}")
        workflow.propose_verdict(claim=claim, actor=editor, version=claim.version, rating=rating("misleading"),
                                 summary=f"Corrected {payload}", analysis=analysis,
                                 correction_note=f"Correction {payload}")
        claim.refresh_from_db()
        claim = workflow.approve(claim=claim, actor=reviewer, version=claim.version)

        tip = workflow.create_claim(actor=None, is_reader_tip=True, text=f"Tip {i} {payload}",
                                    note=f"Reader tip. {payload}", tipster_email="reader@example.org")
        if i % 2:
            tip = workflow.close(claim=tip, actor=reviewer, version=tip.version,
                                 reason=Claim.CloseReason.OUT_OF_SCOPE, note=f"Closed {payload}")

        if in_research is None:
            in_research = workflow.create_claim(actor=editor, text="Evidence in research", claimant=claimant)
            in_research = workflow.start_research(claim=in_research, actor=editor, version=in_research.version)
        in_research.refresh_from_db()
        workflow.add_evidence(claim=in_research, actor=mallory, version=in_research.version, title=payload,
                              publisher=payload, note=payload, url=f"https://evidence.example/r{i}",
                              withheld=bool(i % 2), withheld_reason=payload if i % 2 else "")

        public += [claim.get_absolute_url(), claimant.get_absolute_url(), topic.get_absolute_url(),
                   source.get_absolute_url(), f"/claims/?q={quote(payload)}", f"/accounts/login/?next={quote(payload)}"]
        desk += [claim.get_desk_url(), tip.get_desk_url(), f"/desk/sources/{source.pk}/",
                 f"/desk/sources/{source.pk}/annotated/", f"/desk/claimants/{claimant.pk}/",
                 f"/desk/?q={quote(payload)}", f"/desk/claimants/?q={quote(payload)}",
                 f"/desk/sources/?q={quote(payload)}"]

    public += ["/", "/claims/", "/claims/?q=claim", "/corrections/", "/methodology/", "/submit/",
               f"/api/v1/claims/{claim.pk}/", f"/api/v1/claims/{claim.pk}/history/", "/api/v1/claims/"]
    evidence_pages = [reverse("desk:evidence_edit", args=[in_research.pk, evidence.pk])
                      for evidence in in_research.evidence.all()]
    desk += ["/desk/", "/desk/claimants/", "/desk/sources/", "/desk/profile/", in_research.get_desk_url(),
             *evidence_pages]
    admin = ["/admin/claims/claim/", f"/admin/claims/claim/{claim.pk}/change/", "/admin/claims/claimevent/",
             "/admin/claims/evidence/", "/admin/claims/claimant/", f"/admin/claims/source/{source.pk}/change/",
             "/admin/claims/topic/", "/admin/claims/rating/", "/admin/claims/verdict/", "/admin/auth/user/"]
    return {"anonymous": public, "desk": desk, "admin": admin}


class Watch:
    """What a page did that it must not: dialogs, ``window.__xss``, policy violations, script errors and
    requests to other hosts, collected per page."""

    def __init__(self, page, origin):
        self.page, self.origin = page, origin
        self.dialogs, self.violations, self.errors, self.foreign = [], [], [], []
        page.on("dialog", self.on_dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", self._request)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.violations.append(message.text)

    def _request(self, request):
        if not request.url.startswith((self.origin, "data:", "about:", f"blob:{self.origin}")):
            self.foreign.append(request.url)

    def on_dialog(self, dialog):
        # Leaving a form sent back with the payloads typed asks first (desk.js): the sweep leaves. Only a
        # dialog a script opened is a finding.
        if dialog.type == "beforeunload":
            dialog.accept()
            return
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def visit(self, path):
        response = self.page.goto(path)
        self.page.wait_for_load_state("load")
        return response

    def problems(self, where, *, dom=True):
        found = {
            "dialogs": self.dialogs, "csp violations": self.violations, "script errors": self.errors,
            "requests to other hosts": self.foreign,
        }
        if self.page.evaluate("() => window.__xss") is not None:
            found["window.__xss"] = ["set"]
        if dom and self.page.evaluate("() => document.contentType") == "text/html":
            found["injected markup"] = self.page.evaluate(FIND_INJECTIONS)
        problems = {name: list(items) for name, items in found.items() if items}
        for items in (self.dialogs, self.violations, self.errors, self.foreign):
            items.clear()
        return {where: problems} if problems else {}


def log_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


@pytest.fixture
def newsroom(roles_and_ratings, settings):
    settings.READER_TIPS_PER_HOUR = 10_000  # every payload goes through the tip form
    editor = EditorFactory(username="erin", first_name="Erin", last_name="Editor")
    reviewer = ReviewerFactory(username="rita", first_name="Rita", last_name="Reviewer")
    admin = ReviewerFactory(username="ada", is_staff=True, is_superuser=True)
    return {"anonymous": None, "desk": reviewer, "admin": admin, "paths": build_hostile_newsroom(editor, reviewer)}


def sweep(browser, live_server, newsroom, *, bypass_csp):
    """Visit every page as the person who can see it; return the problems found, by page."""
    problems = {}
    for who in ("anonymous", "desk", "admin"):
        context = browser.new_context(base_url=live_server.url, bypass_csp=bypass_csp)
        context.set_default_timeout(15_000)
        if newsroom[who] is not None:
            log_in(context, live_server, newsroom[who])
        page = context.new_page()
        watch = Watch(page, live_server.url)
        for path in newsroom["paths"][who]:
            response = watch.visit(path)
            assert response.status == 200, f"{path} answered {response.status}"
            if who == "desk":
                assert "/accounts/login/" not in page.url
            problems.update(watch.problems(path))
        problems.update(resubmitted_forms(page, watch, who))
        context.close()
    return problems


def resubmitted_forms(page, watch, who):
    """A form that comes back with errors shows what was typed: the payloads must stay text there too."""
    problems = {}
    for payload in PAYLOADS:
        if who == "anonymous":
            watch.visit("/submit/")
            page.fill("#id_text", f"Tip {payload}")
            page.fill("#id_email", "not an address")
            page.locator("form.tip-form button[type=submit]").click()
            page.wait_for_load_state("load")
            assert "Enter a valid email address." in page.content()
            problems.update(watch.problems(f"/submit/ re-shown with {payload!r}"))
        elif who == "desk":
            watch.visit("/desk/claims/new/")
            page.fill("#claim-text", f"New {payload}")
            page.fill("#claim-quote", payload)
            page.locator("main form.desk-form button[type=submit]").last.click()  # no claimant: comes back
            page.wait_for_load_state("load")
            assert page.locator("#claim-quote").input_value() == payload
            problems.update(watch.problems(f"/desk/claims/new/ re-shown with {payload!r}"))
    return problems


def test_the_sweep_notices_a_script_that_runs(browser, live_server, roles_and_ratings):
    """The watch can fail: a handler that does run is caught without the policy, and blocked and reported
    with it."""
    for bypass_csp in (True, False):
        context = new_context(browser, live_server.url)
        if bypass_csp:
            context.close()
            context = browser.new_context(base_url=live_server.url, bypass_csp=True)
        page = context.new_page()
        watch = Watch(page, live_server.url)
        watch.visit("/methodology/")
        page.evaluate("""() => document.body.insertAdjacentHTML("beforeend",
            '<img src="/no-such-image" onerror="window.__xss=1; alert(1)">')""")
        page.wait_for_timeout(300)
        found = watch.problems("/methodology/")["/methodology/"]
        if bypass_csp:
            assert found["window.__xss"] and found["dialogs"] == ["1"]
        else:
            assert "window.__xss" not in found and "dialogs" not in found
            assert found["csp violations"]
        assert found["injected markup"] == ['IMG onerror']
        context.close()


def test_no_payload_runs_on_any_page_with_escaping_alone(browser, live_server, newsroom):
    assert sweep(browser, live_server, newsroom, bypass_csp=True) == {}


def test_no_page_breaks_the_content_security_policy(browser, live_server, newsroom):
    assert sweep(browser, live_server, newsroom, bypass_csp=False) == {}


def test_payloads_are_shown_as_the_text_that_was_typed(browser, live_server, newsroom):
    context = new_context(browser, live_server.url)
    page = context.new_page()
    for i, payload in enumerate(PAYLOADS):
        claim = Claim.objects.get(text=f"Claim {i} {payload}")
        page.goto(claim.get_absolute_url())
        assert page.locator("h1.factcheck__claim").inner_text().endswith(f"Claim {i} {payload}")
        assert page.locator("blockquote.quote__text").inner_text().strip().endswith(payload)
        assert f"Corrected {payload}" in page.locator("main").inner_text()
    context.close()


def test_the_feed_carries_the_payloads_as_text(browser, live_server, newsroom):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    watch = Watch(page, live_server.url)
    root = ElementTree.fromstring(watch.visit("/feeds/latest/").body())
    assert watch.problems("/feeds/latest/", dom=False) == {}
    context.close()
    # Nothing outside the Atom namespace: an XHTML <script> in a feed runs when a browser opens it.
    assert {element.tag.split("}")[0] for element in root.iter()} == {"{" + ATOM}
    entries = root.findall(f"{{{ATOM}}}entry")
    assert len(entries) == 30
    escaped = 0
    for entry in entries:
        title, summary = entry.find(f"{{{ATOM}}}title"), entry.find(f"{{{ATOM}}}summary")
        # The title is plain text, so it holds the payload as typed; the summary is HTML, so it holds it escaped.
        assert title.get("type", "text") == "text" and any(payload in title.text for payload in PAYLOADS)
        assert summary.get("type") == "html" and "<" not in summary.text
        escaped += "&lt;" in summary.text
    assert escaped > len(entries) / 2  # most payloads hold a "<"


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "JavaScript:window.__xss=1", "data:text/html,x",
                                 "vbscript:msgbox(1)"])
def test_links_that_are_not_http_never_reach_a_page(newsroom, bad):
    claim = Claim.objects.filter(status=Claim.Status.RESEARCHING).get()
    for field in ("url", "archived_url"):
        with pytest.raises(workflow.WorkflowError) as refused:
            workflow.add_evidence(claim=claim, actor=newsroom["desk"], version=claim.version, title="T",
                                  **{field: bad})
        assert refused.value.code == "invalid_url"
    evidence = claim.evidence.first()
    with pytest.raises(workflow.WorkflowError):
        workflow.change_evidence(evidence=evidence, actor=newsroom["desk"], version=claim.version, url=bad)
    assert not Evidence.objects.filter(url__icontains=":").exclude(url__startswith="https://").exists()


def test_the_api_docs_work_under_the_policy(browser, live_server, roles_and_ratings):
    """Swagger UI and Redoc run their inline set-up by nonce. Redoc's bundle also shows a logo from its
    makers' CDN: the policy blocks it, and that is the one violation allowed."""
    context = new_context(browser, live_server.url)
    page = context.new_page()
    watch = Watch(page, live_server.url)
    watch.visit("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Fact-check tracker API")
    expect(page.locator(".opblock-tag").first).to_be_visible()
    assert watch.problems("/api/docs/") == {}

    watch.visit("/api/redoc/")
    expect(page.locator("#redoc-container h1")).to_contain_text("Fact-check tracker API")
    expect(page.locator("#redoc-container [role=search] input")).to_be_visible()  # the search runs in its worker
    page.wait_for_timeout(500)
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert len(watch.violations) == 1 and logo in watch.violations[0], watch.violations
    assert set(watch.foreign) <= {logo}
    watch.violations.clear()
    watch.foreign.clear()
    assert watch.problems("/api/redoc/") == {}
    context.close()
