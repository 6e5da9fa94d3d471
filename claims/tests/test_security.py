"""Security: the Content-Security-Policy and the other security headers, a clean ``check --deploy`` with the
production settings the README documents, log-in (session rotation, safe ``next``, throttling), password
validators and CSRF on every form. The real-browser XSS sweep is test_browser_xss.py."""

import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import workflow
from claims.models import Claim, Rating

from .factories import (
    ClaimantFactory,
    EditorFactory,
    SourceFactory,
    TopicFactory,
    in_review_claim,
    new_claim,
    published_claim,
    researching_claim,
)

pytestmark = pytest.mark.django_db

BASE_DIR = Path(django_settings.BASE_DIR)
PASSWORD = "correct horse battery staple"


def directives(response):
    """The response's Content-Security-Policy as {directive: [sources]}."""
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


# ---------------------------------------------------------------------------------------------------------
# Headers.


@pytest.fixture
def pages(editor):
    """One public page, one desk page and one API response, with the client each needs."""
    desk = Client()
    desk.force_login(editor)
    return {"public": (Client(), "/methodology/"), "desk": (desk, "/desk/"), "api": (Client(), "/api/v1/ratings/")}


@pytest.mark.parametrize("face", ["public", "desk", "api"])
def test_every_face_sends_the_content_security_policy(pages, face):
    client, path = pages[face]
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert policy["style-src"][0] == "'self'"
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    everything = " ".join(response["Content-Security-Policy"].split())
    for loophole in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:"):
        assert loophole not in everything.split(), loophole


@pytest.mark.parametrize("face", ["public", "desk", "api"])
def test_every_face_sends_the_other_security_headers(pages, face, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    client, path = pages[face]
    response = client.get(path, secure=True)  # browsers only honour HSTS over HTTPS, so it is only sent there
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_a_page_from_the_public_cache_keeps_its_headers(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    first = client.get("/methodology/")
    again = client.get("/methodology/")
    assert again.content == first.content
    for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert again[name] == first[name]


def test_cached_pages_carry_no_nonce(client, editor, reviewer):
    # A page the public cache stores is served to other requests: a nonce in it would be another request's.
    claim = published_claim(actor=editor, approver=reviewer)
    for path in ("/", "/claims/", claim.get_absolute_url(), "/methodology/", "/corrections/"):
        response = client.get(path)
        assert "nonce-" not in response["Content-Security-Policy"], path
        assert "nonce=" not in response.content.decode(), path


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_run_their_inline_code_by_nonce_only(client, path):
    response = client.get(path)
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", " ".join(directives(response)["script-src"])).group(1)
    assert f"'nonce-{nonce}'" in directives(response)["style-src"]
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    inline_styles = re.findall(r"<style([^>]*)>", html)
    assert inline_scripts and inline_styles
    for attributes in inline_scripts + inline_styles:
        assert f'nonce="{nonce}"' in attributes
    # Every script and stylesheet comes from this site: no CDN, no web fonts from elsewhere.
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert client.get(path)["Content-Security-Policy"] != response["Content-Security-Policy"]  # fresh per request


def test_only_redoc_may_start_a_worker_from_a_blob(client):
    assert directives(client.get("/api/redoc/"))["worker-src"] == ["'self'", "blob:"]
    assert "worker-src" not in directives(client.get("/api/docs/"))


def test_no_template_has_inline_script_style_or_handlers():
    """The policy would block them: every script and style is a file, or carries the request's nonce."""
    offenders = []
    for template in (BASE_DIR / "templates").rglob("*.html"):
        html = template.read_text()
        for pattern in (r"\sstyle=", r"\son[a-z]+\s*=", r"javascript:", r"<script(?![^>]*\b(src|nonce)=)[^>]*>",
                        r"<style(?![^>]*\bnonce=)[^>]*>"):
            if re.search(pattern, html, re.I):
                offenders.append(f"{template.relative_to(BASE_DIR)}: {pattern}")
    assert offenders == []


def test_badges_take_their_colour_from_the_generated_stylesheet(client, editor, reviewer, django_assert_num_queries):
    claim = published_claim(actor=editor, approver=reviewer)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert 'class="badge badge--rating-false badge--large"' in html
    assert "/ratings.css" in html
    with django_assert_num_queries(1):  # the ratings' slugs and colours
        css = client.get("/ratings.css")
    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert ".badge--rating-false { --badge: #a1121f; }" in css.content.decode()
    assert len(css.content.decode().splitlines()) == Rating.objects.count()


def test_the_generated_stylesheet_refuses_css_from_the_admin(client):
    Rating.objects.filter(slug="false").update(colour="red;}*")
    Rating.objects.filter(slug="true").update(colour="#0a0")
    Rating.objects.create(slug="bad slug{", label="Bad", colour="#123456", definition="d", order=99)
    css = client.get("/ratings.css").content.decode()
    assert "badge--rating-false" not in css  # falls back to the default grey
    assert ".badge--rating-true { --badge: #0a0; }" in css
    assert "bad slug" not in css and "}*" not in css


# ---------------------------------------------------------------------------------------------------------
# check --deploy with the README's production settings.


def readme_production_env():
    """The ``export NAME=value`` lines of the README's "Production settings" block."""
    readme = (BASE_DIR / "README.md").read_text()
    section = readme.split("## Production settings", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    env = dict(re.findall(r"^export (\w+)=(\S+)", block, re.M))
    assert {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"} <= env.keys()
    return env


def check_deploy(env):
    # A fresh process: settings are read from the environment once, at start-up.
    base = {name: value for name, value in os.environ.items()
            if not name.startswith(("DJANGO_", "SECURE_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"))}
    # The README generates a key with a shell command; here a fresh one stands in for it.
    env = {**base, **env, "SECRET_KEY": secrets.token_urlsafe(50)}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_the_documented_production_settings():
    env = readme_production_env()
    assert env["DEBUG"] == "0" and env["SECURE_HSTS_SECONDS"] == "31536000"
    result = check_deploy(env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_check_deploy_warns_without_hsts():
    # The check above can fail: leave out one documented setting and Django says so.
    env = {name: value for name, value in readme_production_env().items() if name != "SECURE_HSTS_SECONDS"}
    result = check_deploy(env)
    assert "security.W004" in result.stdout + result.stderr


# ---------------------------------------------------------------------------------------------------------
# Log-in.


def test_logging_in_rotates_the_session(client, editor):
    session = client.session
    session["seen_tips_page"] = True  # an anonymous session that exists before the log-in
    session.save()
    before = session.session_key
    client.cookies[django_settings.SESSION_COOKIE_NAME] = before
    assert client.post(reverse("login"), {"username": "erin", "password": PASSWORD}).status_code == 302
    after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not SessionStore().exists(before)  # a fixated key is worthless afterwards
    assert int(client.session[SESSION_KEY]) == editor.pk


def test_a_planted_session_key_does_not_survive_log_in(editor):
    attacker = SessionStore()
    attacker.create()
    victim = Client()
    victim.cookies[django_settings.SESSION_COOKIE_NAME] = attacker.session_key
    victim.post(reverse("login"), {"username": "erin", "password": PASSWORD})
    assert victim.cookies[django_settings.SESSION_COOKIE_NAME].value != attacker.session_key
    assert SESSION_KEY not in SessionStore(attacker.session_key).load()


@pytest.mark.parametrize("target", [
    "https://evil.example/",
    "http://evil.example/desk/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "http://testserver@evil.example/",
    "javascript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
])
def test_log_in_never_follows_next_off_site(client, editor, target):
    response = client.post(reverse("login"), {"username": "erin", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:dashboard")
    # Nor does the log-in page carry the address into its form.
    page = client.get(reverse("login"), {"next": target}).content.decode()
    assert "evil.example" not in page and "javascript:" not in page


def test_log_in_follows_next_on_this_site(client, editor):
    response = client.post(reverse("login"), {"username": "erin", "password": PASSWORD, "next": "/desk/sources/"})
    assert response["Location"] == "/desk/sources/"


def test_the_admin_log_in_is_throttled_too(client, editor, settings):
    # The desk log-in's lockout is pinned in test_desk_accounts.py; the admin's form must not be a way round it.
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(url, {"username": "erin", "password": "wrong"}).status_code == 200
    assert client.post(url, {"username": "erin", "password": "wrong"}).status_code == 429
    assert client.post(reverse("login"), {"username": "erin", "password": PASSWORD}).status_code == 429


@pytest.mark.parametrize(("weak", "message"), [
    ("Sh0rt!", "This password is too short."),
    ("password1234", "This password is too common."),
    ("83920174659", "This password is entirely numeric."),
    ("erineditor", "The password is too similar to the"),
])
def test_the_password_change_refuses_a_weak_password(client, editor, weak, message):
    client.force_login(editor)
    response = client.post(reverse("password_change"),
                           {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak})
    assert response.status_code == 200
    assert message in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


# ---------------------------------------------------------------------------------------------------------
# CSRF on every form.


class PostForms(HTMLParser):
    """Each <form method="post"> on a page, and whether it carries a CSRF token."""

    def __init__(self, html):
        super().__init__()
        self.forms, self._open = [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._open = {"action": attrs.get("action"), "csrf": False}
            if (attrs.get("method") or "get").lower() == "post":
                self.forms.append(self._open)
        elif (tag == "input" and self._open is not None and attrs.get("name") == "csrfmiddlewaretoken"
              and attrs.get("value")):
            self._open["csrf"] = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


@pytest.fixture
def form_pages(editor, reviewer, other_editor):
    """Every page with a form that writes, as (client, path), in the states that show each form."""
    admin = EditorFactory(username="ada", is_staff=True, is_superuser=True)
    source, claimant, topic = SourceFactory(), ClaimantFactory(), TopicFactory()
    fresh = new_claim(actor=editor)
    researching = researching_claim(actor=editor)
    evidence = researching.evidence.get()
    reviewing = in_review_claim(actor=editor)
    published = published_claim(actor=editor, approver=reviewer)
    Token.objects.create(user=other_editor)

    def logged_in(user):
        client = Client()
        client.force_login(user)
        return client

    anonymous, erin, otto, rita, ada = Client(), logged_in(editor), logged_in(other_editor), logged_in(reviewer), \
        logged_in(admin)
    return [
        (anonymous, reverse("login")),
        (anonymous, reverse("public:submit")),
        (anonymous, reverse("admin:login")),
        (erin, "/methodology/"),  # the log-out button in the header
        (erin, reverse("desk:dashboard")),
        (erin, reverse("desk:claim_new")),
        (erin, fresh.get_desk_url()),
        (erin, researching.get_desk_url()),
        (erin, reverse("desk:evidence_edit", args=[researching.pk, evidence.pk])),
        (erin, reverse("desk:source_new")),
        (erin, reverse("desk:source", args=[source.pk])),
        (erin, reverse("desk:claimant_new")),
        (erin, reverse("desk:claimant", args=[claimant.pk])),
        (erin, reverse("desk:profile")),
        (otto, reverse("desk:profile")),  # with a token: replace and revoke
        (erin, reverse("password_change")),
        (rita, fresh.get_desk_url()),  # close
        (rita, reviewing.get_desk_url()),  # approve, send back
        (rita, published.get_desk_url()),  # reopen
        (ada, reverse("admin:index")),
        (ada, reverse("admin:claims_topic_add")),
        (ada, reverse("admin:claims_topic_change", args=[topic.pk])),
        (ada, reverse("admin:password_change")),
    ]


def test_every_form_that_writes_carries_the_csrf_token(form_pages):
    seen = 0
    for client, path in form_pages:
        response = client.get(path)
        assert response.status_code == 200, path
        forms = PostForms(response.content.decode()).forms
        assert forms, f"{path} has no form that posts"
        assert [form["action"] for form in forms if not form["csrf"]] == [], path
        seen += len(forms)
    assert seen >= 35  # the desk claim pages alone hold several forms each


def test_a_desk_post_without_the_token_is_refused(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    claim = researching_claim(actor=editor)
    claims = Claim.objects.count()
    capture = client.post(reverse("desk:claim_new"), {"text": "A claim", "claimant": ClaimantFactory().pk})
    evidence = client.post(reverse("desk:evidence_add", args=[claim.pk]),
                           {"version": claim.version, "title": "T", "stance": "context"})
    assert capture.status_code == 403 and evidence.status_code == 403
    assert Claim.objects.count() == claims
    assert claim.evidence.count() == 1
    # The same posts with the token go through: the 403 was the missing token, nothing else.
    client.get(reverse("desk:claim_new"))
    token = client.cookies["csrftoken"].value
    accepted = client.post(reverse("desk:evidence_add", args=[claim.pk]),
                           {"version": claim.version, "title": "T", "stance": "context", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302 and claim.evidence.count() == 2


def test_a_reader_tip_without_the_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    tip = {"text": "The minister said the bridge cost twice as much.", "email": ""}
    assert client.post(reverse("public:submit"), tip).status_code == 403
    assert not Claim.objects.exists()
    client.get(reverse("public:submit"))
    accepted = client.post(reverse("public:submit"), {**tip, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert accepted.status_code == 302 and Claim.objects.filter(is_reader_tip=True).count() == 1


def test_a_log_in_without_the_token_is_refused(editor):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("login"), {"username": "erin", "password": PASSWORD}).status_code == 403
    assert SESSION_KEY not in client.session


def test_the_api_refuses_a_session_write_without_the_token_but_not_a_token_write(editor):
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(editor)
    body = {"text": "A claim", "claimant": ClaimantFactory().pk}
    refused = session.post("/api/v1/claims/", body, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert not Claim.objects.exists()
    # A token is not sent by the browser on its own, so token clients need no CSRF token.
    tokened = APIClient(enforce_csrf_checks=True)
    tokened.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    assert tokened.post("/api/v1/claims/", body, format="json").status_code == 201


# ---------------------------------------------------------------------------------------------------------
# Links from user input.


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:x", "//evil.example/x"])
@pytest.mark.parametrize("field", ["url", "archived_url"])
def test_the_workflow_refuses_links_that_are_not_http(editor, url, field):
    claim = researching_claim(actor=editor, evidence=0)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="T", **{field: url})
    assert refused.value.code == "invalid_url" and refused.value.field == field
    assert not claim.evidence.exists()


@pytest.mark.parametrize(("path", "data", "field"), [
    ("desk:source_new", {"title": "T", "language": "en"}, "url"),
    ("desk:claimant_new", {"name": "N", "kind": "person"}, "same_as"),
])
def test_desk_forms_refuse_javascript_links(editor_client, path, data, field):
    response = editor_client.post(reverse(path), {**data, field: "javascript:alert(1)"})
    assert response.status_code in (200, 400)
    assert "Enter a web address starting with http:// or https://." in response.content.decode()
