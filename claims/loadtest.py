"""The load generator behind ``manage.py loadtest`` and the load and fault tests.

Real HTTP, from threads, against the app under gunicorn, on loopback only:

- **readers** fetch public pages and anonymous API reads of published claims;
- **editors** (API tokens) read a claim, then edit its text, add evidence or propose a verdict with the
  claim's ETag in ``If-Match``; several editors share a small set of claims, so some writes are stale (412);
- **reviewers** (API tokens) approve or send back claims in review, and reopen published ones so that the
  work keeps cycling.

Every request's outcome is recorded. ``verify`` then compares the recorded outcomes with the database to
prove that no update was lost: each successful write left exactly one ``ClaimEvent``, versions only went up,
and each claim's history and final state are the replay of the successful writes in version order.

Loops are bounded in time and in count, and every address is 127.0.0.1.
"""

import collections
import contextlib
import dataclasses
import http.client
import itertools
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Max
from rest_framework.authtoken.models import Token

from claims import workflow
from claims.models import Claim, Claimant, ClaimEvent, Evidence, Rating, Verdict

Status = Claim.Status
Kind = ClaimEvent.Kind

# The write each operation makes, as the event kind it must leave behind. Approval is one family: the same
# request writes ``approved``, ``published`` or ``corrected`` depending on the approvals already in.
WRITE_EVENT = {
    "edit": "edited",
    "add_evidence": "evidence_added",
    "propose": "verdict_proposed",
    "approve": "approval",
    "send_back": "sent_back",
    "reopen": "reopened",
}
EVENT_FAMILY = {Kind.APPROVED: "approval", Kind.PUBLISHED: "approval", Kind.CORRECTED: "approval"}
MAX_REQUESTS_PER_CLIENT = 100_000


# ---------------------------------------------------------------------------------------------------------
# Seed data: users with tokens, published claims for readers, and the claims editors and reviewers share.


def seed(*, editors=6, reviewers=2, work_claims=12, public_claims=6, prefix=None):
    """Create what a run needs, through the workflow, and return the plan the clients follow (JSON-safe)."""
    prefix = prefix or f"load-{secrets.token_hex(3)}"
    User = get_user_model()
    editor_users = [_user(User, f"{prefix}-editor-{n}", "Editors") for n in range(1, editors + 1)]
    reviewer_users = [_user(User, f"{prefix}-reviewer-{n}", "Reviewers") for n in range(1, reviewers + 1)]
    rating = Rating.objects.order_by("order", "id").first()
    if rating is None:
        raise RuntimeError("There is no rating scale: run the migrations first.")
    claimant = Claimant.objects.create(name=f"Load test claimant {prefix}", slug=f"{prefix}-claimant")
    proposer = editor_users[0]

    published = []
    for n in range(public_claims):
        claim = _researching(proposer, claimant, f"Published claim {n} for readers ({prefix})")
        workflow.propose_verdict(claim=claim, actor=proposer, version=claim.version, rating=rating,
                                 summary="The figure is wrong.", analysis="**Why** it is wrong.")
        for reviewer in reviewer_users:
            claim = Claim.objects.get(pk=claim.pk)
            if claim.status == Status.PUBLISHED:
                break
            workflow.approve(claim=claim, actor=reviewer, version=claim.version)
        claim = Claim.objects.get(pk=claim.pk)
        if claim.status != Status.PUBLISHED:
            raise RuntimeError(f"REQUIRED_APPROVALS={settings.REQUIRED_APPROVALS} needs more reviewers.")
        published.append(claim)

    work = []
    for n in range(work_claims):
        claim = _researching(proposer, claimant, f"Claim {n} under load ({prefix})")
        if n % 2:
            workflow.propose_verdict(claim=claim, actor=editor_users[n % editors], version=claim.version,
                                     rating=rating, summary="Seeded proposal.")
        work.append(claim.pk)

    return {
        "prefix": prefix,
        "editor_tokens": [_token(user) for user in editor_users],
        "reviewer_tokens": [_token(user) for user in reviewer_users],
        "rating": rating.slug,
        "work_claims": work,
        "public_claims": [claim.pk for claim in published],
        "reader_paths": _reader_paths(published, claimant),
    }


def _user(User, username, group):
    user = User.objects.create_user(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


def _token(user):
    return Token.objects.get_or_create(user=user)[0].key


def _researching(actor, claimant, text):
    claim = workflow.create_claim(actor=actor, text=text, claimant=claimant)
    claim = workflow.start_research(claim=claim, actor=actor, version=claim.version)
    workflow.add_evidence(claim=claim, actor=actor, version=claim.version, title="Seeded evidence",
                          url="https://evidence.example/seeded", stance="refutes")
    return Claim.objects.get(pk=claim.pk)


def _reader_paths(published, claimant):
    paths = ["/", "/claims/", "/claims/?q=claim", "/methodology/", "/corrections/", "/feeds/latest/",
             claimant.get_absolute_url(), "/api/v1/claims/", "/api/v1/claimreview/", "/api/v1/ratings/"]
    for claim in published:
        paths += [claim.get_absolute_url(), f"/api/v1/claims/{claim.pk}/", f"/api/v1/claims/{claim.pk}/evidence/",
                  f"/api/v1/claims/{claim.pk}/history/"]
    return paths


def snapshot(plan):
    """What verify() compares against: the claims as they were, and where the tables ended, before the run."""
    claims = Claim.objects.filter(pk__in=plan["work_claims"] + plan["public_claims"])
    return {
        "event_id": ClaimEvent.objects.aggregate(m=Max("id"))["m"] or 0,
        "evidence_id": Evidence.objects.aggregate(m=Max("id"))["m"] or 0,
        "verdict_id": Verdict.objects.aggregate(m=Max("id"))["m"] or 0,
        "claims": {c.pk: {"version": c.version, "text": c.text, "status": c.status} for c in claims},
    }


# ---------------------------------------------------------------------------------------------------------
# The app under gunicorn.


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict):
    """A postgres:// URL for the database Django is connected to (for the test database: its test name)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{quote(str(settings_dict['NAME']), safe='')}"


@dataclasses.dataclass
class Server:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@contextlib.contextmanager
def serve(*, database_url, log_path, workers=2, threads=4, env=None, ready_timeout=30):
    """Run ``gunicorn factcheck.wsgi`` on a free loopback port against ``database_url``; stop it on exit.
    Production settings (DEBUG off), with the API throttles raised so that the clients measure the app."""
    port = free_port()
    environ = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "STATIC_MANIFEST": "0",  # no collectstatic here; WhiteNoise serves the files as they are
        "PUBLIC_CACHE_SECONDS": "0",  # every read reaches the database: the worst case
        "API_ANON_RATE": "1000000/minute",
        "API_USER_RATE": "1000000/minute",
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    command = [
        sys.executable, "-m", "gunicorn", "factcheck.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads), "--keep-alive", "30", "--graceful-timeout", "5",
    ]
    log_path = Path(log_path)
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=environ, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = Server(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
    try:
        _wait_until_listening(server, ready_timeout)
        yield server
    finally:
        _stop(process)


def _wait_until_listening(server, timeout):
    deadline = time.monotonic() + timeout
    host, port = urlsplit(server.url).hostname, urlsplit(server.url).port
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.process.returncode}:\n{server.log()[-3000:]}")
        try:
            connection = http.client.HTTPConnection(host, port, timeout=5)
            connection.request("GET", "/robots.txt")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{server.log()[-3000:]}")


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def warm_up(base_url, plan, rounds=3):
    """Load every worker's URLconf, templates and pool before the clock starts; nothing here is recorded."""
    reader, editor = Http(base_url), Http(base_url, token=plan["editor_tokens"][0])
    paths = [(reader, path) for path in plan["reader_paths"]]
    paths += [(editor, f"/api/v1/claims/{claim}/") for claim in plan["work_claims"]]
    for _ in range(rounds):
        for client, path in paths:
            client.request("GET", path)
            client.close()  # a new connection each time, so that every worker gets some


# ---------------------------------------------------------------------------------------------------------
# Clients.


@dataclasses.dataclass
class Outcome:
    """One request and what came of it."""

    role: str
    client: int
    op: str
    method: str
    path: str
    started: float  # seconds since the run began
    latency: float
    status: int | None  # None: no HTTP response at all (connection refused, reset, timed out)
    claim: int | None = None
    sent_version: int | None = None
    version: int | None = None  # the claim's version after the request, from the response's ETag
    claim_status: str | None = None  # the claim's status after a successful write, where the response says
    text: str | None = None  # the text an edit set
    created: int | None = None  # the evidence or verdict id a POST created
    content_type: str = ""
    retry_after: str = ""
    body: str = ""  # the start of the body of a non-2xx response
    error: str = ""

    @property
    def ok(self):
        return self.status is not None and 200 <= self.status < 300

    @property
    def is_write(self):
        return self.op in WRITE_EVENT


class Http:
    """One keep-alive connection to the app, like one browser tab or API client."""

    def __init__(self, base_url, *, token=None, timeout=30):
        parts = urlsplit(base_url)
        if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
            raise ValueError("The load generator only talks to loopback addresses.")
        self.host, self.port, self.token, self.timeout = parts.hostname, parts.port, token, timeout
        self.connection = None

    def request(self, method, path, body=None, headers=None):
        """(status, headers, body) or raise OSError / HTTPException; a failed connection is dropped."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        sent = {"Accept": "application/json" if path.startswith("/api/") else "text/html", **(headers or {})}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        if self.token:
            sent["Authorization"] = f"Token {self.token}"
        try:
            self.connection.request(method, path, body=payload, headers=sent)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.will_close:
            self.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class Traffic:
    """Readers, editors and reviewers hitting ``base_url`` from threads until ``stop()`` or the deadline."""

    def __init__(self, base_url, plan, *, readers=8, editors=6, reviewers=2, seed=0, timeout=30):
        self.base_url, self.plan, self.timeout = base_url, plan, timeout
        self.outcomes = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._started = None
        self.duration = None
        self.clients = []
        for n in range(readers):
            self.clients.append(("reader", n, None, self._reader))
        for n in range(editors):
            token = plan["editor_tokens"][n % len(plan["editor_tokens"])]
            self.clients.append(("editor", n, token, self._editor))
        for n in range(reviewers):
            token = plan["reviewer_tokens"][n % len(plan["reviewer_tokens"])]
            self.clients.append(("reviewer", n, token, self._reviewer))
        self._seed = seed
        self._threads = []

    def run(self, duration):
        """Run for ``duration`` seconds and return the outcomes."""
        self.start(duration)
        return self.join()

    def start(self, duration):
        self._started = time.monotonic()
        self._deadline = self._started + duration
        for index, (role, n, token, step) in enumerate(self.clients):
            rng = random.Random(f"{self._seed}-{index}")
            thread = threading.Thread(target=self._loop, args=(role, n, token, step, rng), daemon=True,
                                      name=f"load-{role}-{n}")
            self._threads.append(thread)
            thread.start()

    def stop(self):
        self._stop.set()

    def join(self):
        for thread in self._threads:
            thread.join(timeout=self.timeout + 30)
        self.duration = time.monotonic() - self._started
        stuck = [thread.name for thread in self._threads if thread.is_alive()]
        if stuck:
            raise RuntimeError(f"load clients did not finish: {', '.join(stuck)}")
        return self.outcomes

    def now(self):
        return time.monotonic() - self._started

    def _running(self):
        return not self._stop.is_set() and time.monotonic() < self._deadline

    def _loop(self, role, n, token, step, rng):
        http_client = Http(self.base_url, token=token, timeout=self.timeout)
        try:
            for count in range(MAX_REQUESTS_PER_CLIENT):
                if not self._running():
                    break
                step(http_client, role, n, rng, count)
        finally:
            http_client.close()

    def call(self, http_client, role, n, op, method, path, *, body=None, claim=None, if_match=None):
        """Make one request and record it. Returns (outcome, parsed JSON or None)."""
        headers = {"If-Match": f'"{if_match}"'} if if_match is not None else {}
        started = time.monotonic()
        outcome = Outcome(role=role, client=n, op=op, method=method, path=path, started=started - self._started,
                          latency=0.0, status=None, claim=claim, sent_version=if_match)
        data = None
        try:
            status, response_headers, raw = http_client.request(method, path, body=body, headers=headers)
        except (OSError, http.client.HTTPException) as exc:
            outcome.error = f"{type(exc).__name__}: {exc}"
        else:
            outcome.status = status
            outcome.content_type = response_headers.get("content-type", "")
            outcome.retry_after = response_headers.get("retry-after", "")
            outcome.version = _etag_version(response_headers.get("etag"))
            if not outcome.ok:
                outcome.body = raw[:2000].decode(errors="replace")
            if outcome.content_type.startswith("application/json") and raw:
                with contextlib.suppress(ValueError):
                    data = json.loads(raw)
        outcome.latency = time.monotonic() - started
        with self._lock:
            self.outcomes.append(outcome)
        return outcome, data

    # Roles. Each step is one short visit: a reader's page, or a read then (maybe) a write.

    def _reader(self, http_client, role, n, rng, count):
        path = rng.choice(self.plan["reader_paths"])
        self.call(http_client, role, n, "read", "GET", path)

    def _read_claim(self, http_client, role, n, rng):
        claim = rng.choice(self.plan["work_claims"])
        outcome, data = self.call(http_client, role, n, "read", "GET", f"/api/v1/claims/{claim}/", claim=claim)
        if not outcome.ok or not isinstance(data, dict) or outcome.version is None:
            return claim, None, None
        return claim, data, outcome.version

    def _editor(self, http_client, role, n, rng, count):
        claim, data, version = self._read_claim(http_client, role, n, rng)
        if data is None:
            return
        roll, status = rng.random(), data.get("status")
        tag = f"{role} {n}, step {count}"
        if status == Status.RESEARCHING and roll < 0.12:
            body = {"rating": self.plan["rating"], "summary": f"Proposed by {tag}.", "analysis": "Under load."}
            if data.get("published_verdict"):
                body["correction_note"] = f"Corrected by {tag}."
            outcome, reply = self.call(http_client, role, n, "propose", "POST", f"/api/v1/claims/{claim}/verdicts/",
                                       body=body, claim=claim, if_match=version)
            if outcome.ok:
                outcome.claim_status, outcome.created = Status.IN_REVIEW, _id(reply)
        elif status in (Status.NEW, Status.RESEARCHING) and roll < 0.45:
            body = {"title": f"Evidence from {tag}", "url": f"https://evidence.example/load/{n}/{count}",
                    "stance": rng.choice(["supports", "refutes", "context"])}
            outcome, reply = self.call(http_client, role, n, "add_evidence", "POST",
                                       f"/api/v1/claims/{claim}/evidence/", body=body, claim=claim, if_match=version)
            if outcome.ok:
                outcome.created = _id(reply)
        elif status != Status.CLOSED:
            text = f"Edited by {tag} — «{rng.randrange(10**6)}»"
            outcome, reply = self.call(http_client, role, n, "edit", "PATCH", f"/api/v1/claims/{claim}/",
                                       body={"text": text}, claim=claim, if_match=version)
            if outcome.ok:
                outcome.text, outcome.claim_status = text, (reply or {}).get("status")

    def _reviewer(self, http_client, role, n, rng, count):
        claim, data, version = self._read_claim(http_client, role, n, rng)
        if data is None:
            return
        roll, status = rng.random(), data.get("status")
        tag = f"{role} {n}, step {count}"
        if status == Status.IN_REVIEW and roll < 0.6:
            body = {"correction_note": f"Correction signed off by {tag}."} if data.get("published_verdict") else {}
            self._action(http_client, role, n, "approve", claim, body, version)
        elif status == Status.IN_REVIEW:
            self._action(http_client, role, n, "send_back", claim, {"note": f"More evidence, please ({tag})."},
                         version)
        elif status == Status.PUBLISHED and roll < 0.5:
            self._action(http_client, role, n, "reopen", claim, {"reason": f"New figures ({tag})."}, version)

    def _action(self, http_client, role, n, op, claim, body, version):
        path = f"/api/v1/claims/{claim}/{op.replace('_', '-')}/"
        outcome, reply = self.call(http_client, role, n, op, "POST", path, body=body, claim=claim, if_match=version)
        if outcome.ok:
            outcome.claim_status = (reply or {}).get("status")


def _etag_version(value):
    if not value:
        return None
    try:
        return int(value.strip().removeprefix("W/").strip('"'))
    except ValueError:
        return None


def _id(reply):
    return reply.get("id") if isinstance(reply, dict) else None


# ---------------------------------------------------------------------------------------------------------
# Verification and the report.


@dataclasses.dataclass
class Check:
    name: str
    ok: bool
    detail: str


def verify(plan, before, outcomes):
    """The checks that prove no update was lost; see the module docstring."""
    ok_writes = [o for o in outcomes if o.is_write and o.ok]
    events = list(ClaimEvent.objects.filter(id__gt=before["event_id"]).order_by("id"))
    claims = {c.pk: c for c in Claim.objects.filter(pk__in=before["claims"])}
    return [
        _check_no_server_errors(outcomes),
        _check_readers(outcomes),
        _check_one_event_per_write(ok_writes, events, before),
        _check_versions(ok_writes, claims, before),
        _check_replay(ok_writes, events, claims, before),
        _check_created_rows(ok_writes, before),
    ]


def _check_no_server_errors(outcomes):
    bad = [o for o in outcomes if o.status is None or o.status >= 500]
    examples = "; ".join(f"{o.method} {o.path} → {o.status or o.error}" for o in bad[:5])
    return Check("zero 5xx and zero failed connections", not bad,
                 f"{len(bad)} of {len(outcomes)} requests" + (f": {examples}" if bad else ""))


def _check_readers(outcomes):
    reads = [o for o in outcomes if o.role == "reader"]
    bad = [o for o in reads if o.status != 200]
    examples = "; ".join(f"GET {o.path} → {o.status}" for o in bad[:5])
    return Check("every public read answered 200", not bad,
                 f"{len(reads) - len(bad)} of {len(reads)}" + (f"; {examples}" if bad else ""))


def _family(kind):
    return EVENT_FAMILY.get(kind, kind)


def _check_one_event_per_write(ok_writes, events, before):
    expected = collections.Counter((o.claim, WRITE_EVENT[o.op]) for o in ok_writes)
    written = collections.Counter((e.claim_id, _family(e.kind)) for e in events)
    differences = {key: (expected[key], written[key]) for key in expected.keys() | written.keys()
                   if expected[key] != written[key]}
    by_kind = collections.Counter(WRITE_EVENT[o.op] for o in ok_writes)
    detail = f"{len(ok_writes)} successful writes, {len(events)} new events ({_counts(by_kind)})"
    if differences:
        shown = "; ".join(f"claim {c} {k}: {w} writes, {e} events" for (c, k), (w, e) in list(differences.items())[:5])
        detail += f"; mismatches: {shown}"
    outside = [e for e in events if e.claim_id not in before["claims"]]
    if outside:
        detail += f"; {len(outside)} events on claims outside the run"
    return Check("every successful write has exactly one ClaimEvent", not differences and not outside, detail)


def _check_versions(ok_writes, claims, before):
    problems = []
    seen = collections.defaultdict(list)
    for o in sorted(ok_writes, key=lambda o: o.started):
        seen[(o.role, o.client, o.claim)].append(o.version)
    for (role, client, claim), versions in seen.items():
        if any(v is None for v in versions) or any(b <= a for a, b in itertools.pairwise(versions)):
            problems.append(f"{role} {client} saw claim {claim} go {versions}")
    by_claim = collections.defaultdict(list)
    for o in ok_writes:
        by_claim[o.claim].append(o.version)
    for pk, claim in claims.items():
        initial = before["claims"][pk]["version"]
        versions = sorted(v for v in by_claim.get(pk, []) if v is not None)
        if versions != list(range(initial + 1, claim.version + 1)):
            problems.append(f"claim {pk}: {initial} → {claim.version}, but successful writes made versions "
                            f"{versions[:10]}{'…' if len(versions) > 10 else ''}")
    bumps = sum(claim.version - before["claims"][pk]["version"] for pk, claim in claims.items())
    detail = f"{bumps} version bumps over {len(claims)} claims = {len(ok_writes)} successful writes"
    if problems:
        detail += "; " + "; ".join(problems[:5])
    return Check("versions only increase; final version = initial + successful writes", not problems, detail)


def _check_replay(ok_writes, events, claims, before):
    problems = []
    writes = collections.defaultdict(list)
    for o in ok_writes:
        writes[o.claim].append(o)
    history = collections.defaultdict(list)
    for e in events:
        history[e.claim_id].append(e)
    for pk, claim in claims.items():
        replay = sorted(writes.get(pk, []), key=lambda o: o.version or 0)
        kinds = [WRITE_EVENT[o.op] for o in replay]
        recorded = [_family(e.kind) for e in history.get(pk, [])]
        if kinds != recorded:
            problems.append(f"claim {pk}: writes {kinds[:6]}… but history {recorded[:6]}…")
            continue
        for o, e in zip(replay, history.get(pk, []), strict=True):
            if o.op == "edit" and (e.changes.get("text") or [None, None])[1] != o.text:
                problems.append(f"claim {pk}: the edit to version {o.version} is not the one recorded")
        text, status = before["claims"][pk]["text"], before["claims"][pk]["status"]
        for o in replay:
            text = o.text if o.op == "edit" else text
            status = o.claim_status or status
        # On a public claim the last edit is a draft beside what readers see, until a reviewer approves it.
        working = claim.draft_fields.get("text", claim.text)
        if working != text:
            problems.append(f"claim {pk}: text is {working!r}, the last successful edit set {text!r}")
        if claim.status != status:
            problems.append(f"claim {pk}: status is {claim.status}, the replay gives {status}")
    detail = f"{len(claims)} claims: history, text and status match the writes in version order"
    if problems:
        detail = "; ".join(problems[:5])
    return Check("final state equals the replay of the successful writes", not problems, detail)


def _check_created_rows(ok_writes, before):
    problems = []
    for op, model, mark in (("add_evidence", Evidence, "evidence_id"), ("propose", Verdict, "verdict_id")):
        reported = {o.created: o for o in ok_writes if o.op == op}
        rows = {row.pk: row for row in model.objects.filter(pk__gt=before[mark])}
        if None in reported:
            problems.append(f"a successful {op} returned no id")
        if set(rows) != set(reported) - {None}:
            problems.append(f"{model.__name__}: {len(rows)} new rows, {len(reported)} successful {op} requests")
        for pk, row in rows.items():
            if pk in reported and row.claim_id != reported[pk].claim:
                problems.append(f"{model.__name__} {pk} is on claim {row.claim_id}, not {reported[pk].claim}")
    created = sum(1 for o in ok_writes if o.op in ("add_evidence", "propose"))
    return Check("every evidence item and verdict created exists, and no other", not problems,
                 "; ".join(problems[:5]) or f"{created} rows, each on its claim")


def _counts(counter):
    return ", ".join(f"{key} {value}" for key, value in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


@dataclasses.dataclass
class Report:
    outcomes: list
    checks: list
    duration: float
    description: str

    @property
    def ok(self):
        return all(check.ok for check in self.checks)

    @property
    def conflicts(self):
        return collections.Counter(o.status for o in self.outcomes if o.status in (409, 412))

    def lines(self):
        outcomes, duration = self.outcomes, self.duration or 1.0
        latencies = [o.latency * 1000 for o in outcomes]
        lines = [self.description, "",
                 f"requests      {len(outcomes):>7}  ({len(outcomes) / duration:.0f}/s over {duration:.1f} s)"]
        for role in ("reader", "editor", "reviewer"):
            mine = [o for o in outcomes if o.role == role]
            writes = [o for o in mine if o.is_write]
            line = f"  {role + 's':<11} {len(mine):>7}"
            if writes:
                ok = sum(1 for o in writes if o.ok)
                stale = sum(1 for o in writes if o.status == 412)
                refused = sum(1 for o in writes if o.status == 409)
                line += f"  writes {len(writes)}: {ok} ok, {stale} stale (412), {refused} refused (409)"
            lines.append(line)
        lines += [
            f"latency ms    p50 {percentile(latencies, 50):.1f}  p95 {percentile(latencies, 95):.1f}  "
            f"p99 {percentile(latencies, 99):.1f}  max {max(latencies, default=0):.1f}",
            "statuses      " + _counts(collections.Counter(str(o.status or "no response") for o in outcomes)),
            "writes        " + _counts(collections.Counter(f"{o.op} {o.status}" for o in outcomes if o.is_write)),
            f"conflicts     {self.conflicts[412]} stale version (412), {self.conflicts[409]} not allowed (409)",
            "slowest       " + "; ".join(f"{name} p50 {p50:.0f} ms" for name, p50 in self.slowest()),
            "",
        ]
        lines += [f"{'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}" for check in self.checks]
        return lines

    def slowest(self, count=4):
        """The request kinds with the highest median latency: where to look first."""
        kinds = collections.defaultdict(list)
        for o in self.outcomes:
            kinds[f"{o.method} {_pattern(o.path)}"].append(o.latency * 1000)
        medians = {name: percentile(values, 50) for name, values in kinds.items() if len(values) >= 5}
        return sorted(medians.items(), key=lambda item: -item[1])[:count]

    def text(self):
        return "\n".join(self.lines())


def _pattern(path):
    path = re.sub(r"/\d+(?=/|$)", "/<id>", path.split("?")[0])
    return re.sub(r"^/claims/<id>/[^/]+/$", "/claims/<id>/<slug>/", path)
