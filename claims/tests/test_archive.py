"""Backup and restore: export_archive writes the whole register, history included, and import_archive restores
it into an empty database, where a second export is byte-identical.

The restore goes into a second database (alias ``restore``), created and migrated for this module the way
Django's test runner creates its test databases, so that both backends are exercised without deleting
append-only history to make room."""

import copy
import datetime
import io
import json
import threading

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from claims import archive, workflow
from claims.models import Appearance, Claim, ClaimEvent, Evidence, Rating, Topic, Verdict

from .factories import (
    ClaimantFactory,
    EditorFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    in_review_claim,
    new_claim,
    published_claim,
    rating,
    researching_claim,
)

User = get_user_model()
RESTORE = "restore"
BOTH = ["default", RESTORE]
RTL = "قال الوزير إن الأصول المجمدة تبلغ ٢١٠ مليارات"


@pytest.fixture(scope="module")
def restore_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """A second, migrated test database: a file for SQLite, ``<test db>_restore`` for PostgreSQL."""
    config = copy.deepcopy(connections["default"].settings_dict)
    if config["ENGINE"].endswith("sqlite3"):
        test_name = str(tmp_path_factory.mktemp("restore") / "restore.sqlite3")
    else:
        test_name = f"{config['NAME']}_restore"
    config["TEST"] = {**config.get("TEST", {}), "NAME": test_name}
    settings.DATABASES[RESTORE] = config
    connections.settings[RESTORE] = config
    with django_db_blocker.unblock():
        old_name = config["NAME"]
        connections[RESTORE].creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        # Migration 0002 seeds the database being migrated, this one included.
        assert Rating.objects.using(RESTORE).count() == 7
        yield RESTORE
        connections[RESTORE].creation.destroy_test_db(old_name, verbosity=0)
    del connections[RESTORE]
    del settings.DATABASES[RESTORE]


both_databases = pytest.mark.django_db(databases=BOTH)


def export(*args, database="default"):
    out, progress = io.StringIO(), io.StringIO()
    call_command("export_archive", "-", f"--database={database}", *args, stdout=out, stderr=progress)
    return out.getvalue()


def restore(path, database=RESTORE):
    out = io.StringIO()
    call_command("import_archive", str(path), f"--database={database}", stdout=out)
    return out.getvalue()


def build_register(editor, reviewer, other_reviewer):
    """A register with every kind of record and the awkward cases: a corrected verdict, a claim closed as a
    duplicate, withheld and removed evidence, a reader tip, an imported review, right-to-left text, an edited
    rating scale, custom groups and permissions, and the history of a user who has since been deleted."""
    scale = rating("false")
    scale.label, scale.definition = "Pants on fire", "Not only false: ridiculous."
    scale.save()
    rating("unsupported").delete()  # unused: the restored scale must not bring the seeded one back

    interns = Group.objects.create(name="Stagiaires")
    interns.permissions.set(Permission.objects.filter(codename__in=["view_claim", "view_evidence"]))
    UserFactory(username="ina", first_name="Ina", last_name="Intern", groups=["Stagiaires"])
    UserFactory(username="gone", is_active=False)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    admin.user_permissions.set(Permission.objects.filter(codename="delete_source"))

    source = SourceFactory(title="مقال الرأي", language="ar", text=f"Preamble. {RTL}. Afterword.")
    claimant = ClaimantFactory(name="وزير الخارجية", slug="foreign-minister", same_as="https://example.org/wiki/FM")
    energy, assets = TopicFactory(name="Énergie ⚡"), TopicFactory(name="Frozen assets")

    corrected = published_claim(actor=editor, approver=reviewer, text="Frozen assets total €210bn",
                                claimant=claimant, source=source, quote=RTL, topics=[energy, assets],
                                language="ar", claim_date=datetime.date(2025, 10, 22))
    corrected = workflow.reopen(claim=corrected, actor=reviewer, version=corrected.version, reason="New figures")
    workflow.add_evidence(claim=corrected, actor=editor, version=corrected.version, title="Insider briefing",
                          url="https://insider.example/notes", withheld=True, withheld_reason="Protects the source")
    corrected.refresh_from_db()
    workflow.propose_verdict(claim=corrected, actor=editor, version=corrected.version, rating=rating("half-true"),
                             summary="Partly right, since October.", analysis="**Revised** — see *notes*.",
                             correction_note="The total was revised in October.")
    corrected.refresh_from_db()
    corrected = workflow.approve(claim=corrected, actor=other_reviewer, version=corrected.version)
    workflow.add_appearance(claim=corrected, actor=editor, version=corrected.version, outlet="Social",
                            url="https://social.example/post/1", seen_on=datetime.date(2025, 10, 23),
                            archived_url="https://archive.example/1")
    corrected.refresh_from_db()
    corrected = workflow.approve_update(claim=corrected, actor=reviewer, version=corrected.version,
                                        note="Where else it appeared.")

    # A public claim with a draft waiting for a reviewer: new wording, a changed and a removed evidence item.
    drafted = published_claim(actor=editor, approver=reviewer, evidence=2, text="Gas prices doubled in 2022",
                              topics=[assets])
    drafted = workflow.reopen(claim=drafted, actor=reviewer, version=drafted.version, reason="Check the base year")
    drafted = workflow.edit_claim(claim=drafted, actor=editor, version=drafted.version,
                                  text="Gas prices doubled in 2021", topics=[energy, assets])
    first, second = drafted.evidence.all()
    workflow.change_evidence(evidence=first, actor=editor, version=drafted.version, stance="supports",
                             withheld=True, withheld_reason="Protects the source")
    drafted.refresh_from_db()
    workflow.remove_evidence(evidence=second, actor=editor, version=drafted.version)

    duplicate = new_claim(actor=editor, text="Frozen assets are €210bn", claimant=claimant)
    workflow.close(claim=duplicate, actor=reviewer, version=duplicate.version, reason="duplicate",
                   duplicate_of=corrected)

    edited = researching_claim(actor=editor, evidence=2, text="Inflation fell to 2%",
                               recheck_on=datetime.date(2026, 1, 1))
    workflow.edit_claim(claim=edited, actor=editor, version=edited.version, text="Inflation fell to 2.1%",
                        topics=[energy])
    edited.refresh_from_db()
    workflow.remove_evidence(evidence=edited.evidence.first(), actor=editor, version=edited.version)

    workflow.create_claim(actor=None, text="A reader says the bridge cost €1bn", is_reader_tip=True,
                          tipster_email="reader@example.org", note="Seen on a leaflet")
    # A claim from the ClaimReview import before it moved to the reviews app, which kept the review's URL.
    imported = published_claim(actor=editor, approver=reviewer, text="Wind is the cheapest power",
                               claimant=claimant, rating_slug="mostly-true")
    Claim.objects.filter(pk=imported.pk).update(imported_from="https://other-checker.example/reviews/7")

    leaver = EditorFactory(username="lea", first_name="Léa", last_name="Départ")
    in_review_claim(actor=leaver, text="Claim researched by someone who left")
    leaver.delete()
    return corrected


@both_databases
def test_round_trip_restores_everything_and_a_second_export_is_byte_identical(
    restore_database, editor, reviewer, other_reviewer, tmp_path
):
    build_register(editor, reviewer, other_reviewer)
    path = tmp_path / "register.jsonl"
    first = export()
    path.write_text(first, encoding="utf-8")

    report = restore(path)

    second = export(database=RESTORE)
    assert second == first
    header = json.loads(first.splitlines()[0])
    assert header["format"] == "factcheck-archive" and header["version"] == 2
    assert all(header["counts"][type_] > 0 for type_ in archive.SECTION_BY_TYPE), header["counts"]
    assert f"Imported {sum(header['counts'].values())} records." in report
    assert "cannot log in until one is set" in report
    # The history of the deleted user: still theirs by name, with no account.
    lost = ClaimEvent.objects.using(RESTORE).filter(actor_name="Léa Départ")
    assert lost.count() == 4 and not lost.exclude(actor=None).exists()
    assert Verdict.objects.using(RESTORE).get(proposed_by_name="Léa Départ").proposed_by_id is None
    # The scale is the archive's, not the migration's.
    assert Rating.objects.using(RESTORE).get(slug="false").label == "Pants on fire"
    assert not Rating.objects.using(RESTORE).filter(slug="unsupported").exists()


@both_databases
def test_a_restore_keeps_primary_keys_timestamps_and_secret_fields(restore_database, editor, reviewer,
                                                                   other_reviewer, tmp_path):
    corrected = build_register(editor, reviewer, other_reviewer)
    path = tmp_path / "register.jsonl"
    path.write_text(export(), encoding="utf-8")
    restore(path)

    original = Claim.objects.get(pk=corrected.pk)
    copy_ = Claim.objects.using(RESTORE).get(pk=corrected.pk)
    for field in ("text", "quote", "version", "status", "created_at", "updated_at", "published_at",
                  "published_verdict_id", "quote_start", "quote_end", "slug"):
        assert getattr(copy_, field) == getattr(original, field), field
    assert copy_.version > 1 and copy_.quote == RTL
    withheld = Evidence.objects.using(RESTORE).get(withheld=True, claim=corrected)
    assert (withheld.url, withheld.withheld_reason) == ("https://insider.example/notes", "Protects the source")
    # The draft and the approved copies travel: readers of the restored site see what they saw before.
    drafted = Claim.objects.using(RESTORE).get(text="Gas prices doubled in 2022")
    assert drafted.draft_fields["text"] == "Gas prices doubled in 2021" and len(drafted.draft_fields["topics"]) == 2
    changed, removed = Evidence.objects.using(RESTORE).filter(claim=drafted).order_by("pk")
    assert changed.withheld and not changed.approved["withheld"] and changed.approved["stance"] == "refutes"
    assert removed.removed and removed.approved["title"] == "Evidence 1"
    assert Claim.objects.using(RESTORE).get(is_reader_tip=True).tipster_email == "reader@example.org"
    assert Claim.objects.using(RESTORE).exclude(imported_from="").count() == 1
    assert Claim.objects.using(RESTORE).get(status="closed").duplicate_of_id == corrected.pk
    assert copy_.source.text == original.source.text
    assert sorted(copy_.topics.values_list("name", flat=True)) == ["Frozen assets", "Énergie ⚡"]
    ina = User.objects.using(RESTORE).get(username="ina")
    assert list(ina.groups.values_list("name", flat=True)) == ["Stagiaires"]
    assert not ina.has_usable_password()
    root = User.objects.using(RESTORE).get(username="root")
    assert list(root.user_permissions.values_list("codename", flat=True)) == ["delete_source"]
    assert root.is_superuser and not User.objects.using(RESTORE).get(username="gone").is_active


@both_databases
def test_password_hashes_travel_only_when_asked(restore_database, editor, tmp_path):
    assert '"password"' not in export()
    path = tmp_path / "with-hashes.jsonl"
    path.write_text(export("--include-password-hashes"), encoding="utf-8")
    restore(path)
    assert User.objects.using(RESTORE).get(username="erin").check_password("correct horse battery staple")


@both_databases
def test_the_restored_database_takes_new_records_after_the_restored_ones(restore_database, editor, reviewer,
                                                                        tmp_path):
    published = published_claim(actor=editor, approver=reviewer)
    topic = TopicFactory()
    path = tmp_path / "register.jsonl"
    path.write_text(export(), encoding="utf-8")
    restore(path)
    # Sequences were moved past the archive's ids: an insert does not collide with a restored row.
    new_topic = Topic.objects.using(RESTORE).create(name="New", slug="new-topic")
    new_user = User.objects.using(RESTORE).create(username="newcomer")
    assert new_topic.pk > topic.pk and new_user.pk > editor.pk
    # The search index was rebuilt, published summary included.
    with connections[RESTORE].cursor() as cursor:
        if connections[RESTORE].vendor == "sqlite":
            cursor.execute("SELECT summary FROM claims_claimsearch_fts WHERE rowid = %s", [published.pk])
            assert cursor.fetchone() == ("The figure is wrong.",)
        else:
            cursor.execute("SELECT document::text FROM claims_claimsearch WHERE claim_id = %s", [published.pk])
            assert "'wrong'" in cursor.fetchone()[0]


@both_databases
def test_export_to_a_file_reports_progress_on_stdout_and_leaves_no_partial_file(restore_database, editor, tmp_path):
    new_claim(actor=editor)
    path = tmp_path / "backup.jsonl"
    out = io.StringIO()
    call_command("export_archive", str(path), stdout=out)
    assert path.read_text(encoding="utf-8") == export()
    assert "claim: 1/1" in out.getvalue() and f"to {path}" in out.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == ["backup.jsonl"]


@both_databases
def test_export_to_stdout_keeps_progress_on_stderr(restore_database, editor):
    new_claim(actor=editor)
    out, err = io.StringIO(), io.StringIO()
    call_command("export_archive", stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert all(json.loads(line) for line in lines)
    assert [json.loads(line)["type"] for line in lines[1:]] == sorted(
        (json.loads(line)["type"] for line in lines[1:]), key=archive.ORDER.__getitem__
    )
    assert "claim: 1/1" in err.getvalue() and "standard output" in err.getvalue()
    quiet = io.StringIO()
    call_command("export_archive", "-", verbosity=0, stdout=io.StringIO(), stderr=quiet)
    assert quiet.getvalue() == ""


@both_databases
def test_import_reads_standard_input(restore_database, editor, monkeypatch):
    claim = new_claim(actor=editor)
    data = export().encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    call_command("import_archive", "-", f"--database={RESTORE}", stdout=io.StringIO())
    assert Claim.objects.using(RESTORE).get(pk=claim.pk).text == claim.text


@both_databases
def test_export_reads_each_table_in_a_fixed_number_of_queries(restore_database, editor, reviewer,
                                                              django_assert_num_queries):
    for _ in range(3):
        published_claim(actor=editor, approver=reviewer)
    # SAVEPOINT; 12 counts; the username map; groups + their permissions (with content types); users + their
    # groups + their permissions (with content types); one query each for the 10 other sections; RELEASE.
    with django_assert_num_queries(2 + 12 + 1 + 2 + 3 + 10):
        export()


@pytest.mark.django_db(transaction=True)
def test_an_export_on_its_own_reads_one_snapshot_and_takes_no_write_lock():
    TopicFactory()  # no claims: the flush after this test cannot meet the append-only trigger
    with CaptureQueriesContext(connection) as queries:
        export()
    statements = [query["sql"] for query in queries.captured_queries]
    if connection.vendor == "sqlite":
        # Not BEGIN IMMEDIATE: in WAL mode the desk keeps writing while the export reads.
        assert (statements[0], statements[-1]) == ("BEGIN DEFERRED", "COMMIT")
        assert not connection.connection.in_transaction
    else:
        first = statements[1] if statements[0] == "BEGIN" else statements[0]  # psycopg may show its BEGIN
        assert first == "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
    assert not connection.in_atomic_block


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="a second connection writing during the export needs PostgreSQL (the SQLite test "
                           "database lives in memory)")
@pytest.mark.django_db(transaction=True)
def test_an_export_does_not_see_what_is_written_while_it_runs():
    TopicFactory(name="Before")

    def add_topic():
        try:
            Topic.objects.create(name="During", slug="during")
        finally:
            connection.close()

    def meanwhile(type_, done, total):
        if type_ == "group":
            writer = threading.Thread(target=add_topic)
            writer.start()
            writer.join(timeout=10)

    lines = []
    counts = archive.export(lines.append, progress=meanwhile)
    topics = [json.loads(line)["data"]["name"] for line in lines if json.loads(line).get("type") == "topic"]
    assert topics == ["Before"] and counts["topic"] == 1
    assert set(Topic.objects.values_list("name", flat=True)) == {"Before", "During"}


@both_databases
def test_a_version_1_archive_restores_what_readers_saw_as_approved(restore_database, editor, reviewer,
                                                                   other_reviewer, tmp_path):
    """Version 1 had no approved copies: a public claim's evidence signed off with its verdict (added before the
    proposal) and its appearances were public; evidence added after a reopening was not."""
    corrected = build_register(editor, reviewer, other_reviewer)
    added_later = workflow.add_evidence(claim=Claim.objects.get(text="Gas prices doubled in 2022"), actor=editor,
                                        version=Claim.objects.get(text="Gas prices doubled in 2022").version,
                                        title="Found after the reopening", url="https://later.example/")
    lines = export().splitlines()
    header = json.loads(lines[0])
    records = [json.loads(line) for line in lines[1:]]
    for record in records:
        for name in ("draft", "approved", "removed"):
            record["data"].pop(name, None)
    version_1 = [json.dumps({**header, "version": 1}), *(json.dumps(r) for r in records)]
    path = tmp_path / "v1.jsonl"
    path.write_text("\n".join(version_1) + "\n", encoding="utf-8")
    restore(path)

    restored = Evidence.objects.using(RESTORE)
    assert restored.get(pk=added_later.pk).approved is None
    assert restored.get(claim=corrected, withheld=True).approved["url"] == "https://insider.example/notes"
    assert Appearance.objects.using(RESTORE).get(claim=corrected).approved["outlet"] == "Social"
    assert Claim.objects.using(RESTORE).get(pk=corrected.pk).draft is None


# ---------------------------------------------------------------------------------------------------------
# Refusals: each leaves the target database exactly as it was.


def assert_untouched(database=RESTORE):
    assert not User.objects.using(database).exists()
    assert not Claim.objects.using(database).exists()
    assert Rating.objects.using(database).count() == 7  # the migration's scale, not deleted


@both_databases
def test_import_refuses_a_database_that_is_not_empty(restore_database, editor, tmp_path):
    new_claim(actor=editor)
    path = tmp_path / "register.jsonl"
    path.write_text(export(), encoding="utf-8")
    with pytest.raises(CommandError, match=r"not empty \(it has 1 user, .*1 claim"):
        restore(path, database="default")
    assert Claim.objects.count() == 1 and Rating.objects.count() == 7


@both_databases
@pytest.mark.parametrize("header, message", [
    ("", "line 1: this is not a factcheck-archive file"),
    ("not json", "line 1: this is not a factcheck-archive file"),
    ('{"format": "django-fixture", "version": 1, "counts": {}}', "line 1: this is not a factcheck-archive"),
    ('{"format": "factcheck-archive", "version": 3, "counts": {}}', "line 1: archive format version 3"),
    ('{"format": "factcheck-archive", "version": true, "counts": {}}', "line 1: archive format version True"),
    ('{"format": "factcheck-archive", "version": 1, "counts": {"claim": -1}}', "line 1: the header's counts"),
    ('{"format": "factcheck-archive", "version": 1, "counts": {"secret": 1}}', "line 1: the header's counts"),
])
def test_import_refuses_a_bad_header(restore_database, tmp_path, header, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(header + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        restore(path)
    assert_untouched()


def replace_record(type_, change):
    """Apply ``change`` to the data of the first record of ``type_``."""
    def mutate(lines):
        for number, line in enumerate(lines):
            record = json.loads(line) if number else None
            if record and record["type"] == type_:
                change(record["data"])
                lines[number] = json.dumps(record, ensure_ascii=False)
                return number + 1
        raise AssertionError(f"no {type_} record")
    return mutate


def replace_line(type_, text):
    def mutate(lines):
        number = next(n for n, line in enumerate(lines) if n and json.loads(line)["type"] == type_)
        lines[number] = text
        return number + 1
    return mutate


def drop_last(lines):
    lines.pop()
    return None


def move_first_claim_to_the_end(lines):
    number = next(n for n, line in enumerate(lines) if n and json.loads(line)["type"] == "claim")
    lines.append(lines.pop(number))
    return len(lines)


CORRUPTIONS = {
    "truncated JSON": (replace_line("claim", '{"type": "claim", "data": {"id": 1, "te'), "not valid JSON"),
    "blank line": (replace_line("evidence", "   "), "empty line"),
    # A lone surrogate escape is written as the raw byte 0xFF.
    "not UTF-8": (replace_line("claim", '{"type": "claim", "data": {"text": "\udcff"}}'), "not UTF-8 text"),
    "not a record": (replace_line("claim", "[1, 2, 3]"), 'a record must be {"type"'),
    "unknown type": (replace_line("claim", '{"type": "token", "data": {}}'), "unknown record type 'token'"),
    "out of order": (move_first_claim_to_the_end, "sections are out of order"),
    "unknown field": (replace_record("claim", lambda d: d.update(secret=1)), "unknown field 'secret'"),
    "missing field": (replace_record("claim", lambda d: d.pop("status")), "missing field 'status'"),
    "text too long": (replace_record("claim", lambda d: d.update(text="x" * 201)), "text: Ensure this value"),
    "javascript URL": (replace_record("evidence", lambda d: d.update(url="javascript:alert(1)")),
                       "url: Enter a web address"),
    "bad choice": (replace_record("claim", lambda d: d.update(status="deleted")), "status: Value 'deleted'"),
    "naive time": (replace_record("claim_event", lambda d: d.update(at="2025-10-22T10:00:00")),
                   "not a date and time with its UTC offset"),
    "text as number": (replace_record("verdict", lambda d: d.update(summary=42)), "summary: expected text"),
    "unknown user": (replace_record("claim_event", lambda d: d.update(actor="mallory")), "no user 'mallory'"),
    "unknown group": (replace_record("user", lambda d: d.update(groups=["Admins"])), "no group named 'Admins'"),
    "unknown permission": (replace_record("group", lambda d: d.update(permissions=["claims.own_everything"])),
                           "no permission 'claims.own_everything'"),
    "truncated archive": (drop_last, "the header promises"),
}


@both_databases
@pytest.mark.parametrize("corruption", CORRUPTIONS, ids=list(CORRUPTIONS))
def test_import_of_a_corrupt_archive_names_the_line_and_writes_nothing(restore_database, editor, reviewer,
                                                                       tmp_path, corruption):
    published_claim(actor=editor, approver=reviewer)
    lines = export().splitlines()
    mutate, message = CORRUPTIONS[corruption]
    number = mutate(lines)
    path = tmp_path / "corrupt.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8", "surrogateescape"))
    with pytest.raises(CommandError) as refused:
        restore(path)
    assert str(refused.value).startswith("Nothing was imported: ")
    if number is not None:
        assert f"line {number}: " in str(refused.value)
    assert message in str(refused.value)
    assert_untouched()


@both_databases
def test_import_refuses_a_record_the_database_rejects_naming_its_lines(restore_database, editor, tmp_path):
    new_claim(actor=editor)
    new_claim(actor=editor, text="Another claim")
    lines = export().splitlines()
    claims = [n for n, line in enumerate(lines) if n and json.loads(line)["type"] == "claim"]
    twin = json.loads(lines[claims[1]])
    twin["data"]["id"] = json.loads(lines[claims[0]])["data"]["id"]  # two claims with one primary key
    lines[claims[1]] = json.dumps(twin)
    path = tmp_path / "twins.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=rf"lines {claims[0] + 1}–{claims[1] + 1} \(claim\) could not be stored"):
        restore(path)
    assert_untouched()


@both_databases
def test_import_refuses_a_reference_to_a_record_the_archive_lacks(restore_database, editor, tmp_path):
    new_claim(actor=editor)
    lines = replace_record("claim", lambda d: d.update(claimant=999_999))
    exported = export().splitlines()
    lines(exported)
    path = tmp_path / "dangling.jsonl"
    path.write_text("\n".join(exported) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="refers to records it does not hold"):
        restore(path)
    assert_untouched()


@both_databases
def test_import_reports_a_missing_file(restore_database, tmp_path):
    with pytest.raises(CommandError, match=r"Could not read .*missing\.jsonl"):
        restore(tmp_path / "missing.jsonl")


# ---------------------------------------------------------------------------------------------------------
# The format covers the schema: a new field or model cannot silently fall out of the backups.


def test_every_field_of_every_archived_model_is_in_the_archive():
    for section in archive.SECTIONS:
        if isinstance(section, archive.ModelSection):
            concrete = {f.name for f in section.model._meta.concrete_fields}
            if section.model is User:
                concrete -= {"password"}  # only with --include-password-hashes
            assert set(section.fields) == concrete, section.type


def test_every_model_of_the_register_is_in_the_archive():
    archived = {section.model for section in archive.SECTIONS if hasattr(section, "model")}
    derived = {apps.get_model("claims", "ClaimSearch")}  # rebuilt by the database's triggers
    assert set(apps.get_app_config("claims").get_models()) - derived <= archived
    assert {Claim.topics.through, User} <= archived


def test_the_format_is_documented():
    doc = (settings.BASE_DIR / "docs" / "archive-format.md").read_text(encoding="utf-8")
    assert f'"version": {archive.VERSION}' in doc
    for section in archive.SECTIONS:
        assert f"`{section.type}`" in doc, section.type
        for name in section.fields:
            assert f"`{name}`" in doc, f"{section.type}.{name}"
