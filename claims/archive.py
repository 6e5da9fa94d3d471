"""The register as a versioned JSON Lines archive: ``manage.py export_archive`` and ``import_archive``.

docs/archive-format.md is the format's specification; ``SECTIONS`` below is its executable form. In short:

- line 1 is the header: ``{"counts": {...}, "format": "factcheck-archive", "version": 1}``;
- every other line is one record, ``{"data": {...}, "type": "claim"}``, sections in the order of ``SECTIONS``
  (dependencies first) and each section ordered by primary key;
- keys are sorted and nothing depends on the clock, so the same register always gives the same bytes:
  a second export of a restored database is byte-identical to the archive it was restored from.

Records keep their primary keys. Users are referred to by username, groups by name and permissions as
``app_label.codename``, because those are what a person reading the file recognises. Password hashes are
left out unless asked for, API tokens and sessions always (they are secrets; issue new ones), and the search
index is rebuilt by the database's own triggers.

The export reads one consistent snapshot and streams it with ``QuerySet.iterator()``, in constant memory. The
import restores into an empty, migrated database in one transaction: the first bad line stops it with
nothing written.
"""

import datetime
import json
from contextlib import contextmanager

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils.dateparse import parse_datetime

from .models import Appearance, Claim, Claimant, ClaimEvent, Evidence, Rating, Source, Topic, Verdict

FORMAT = "factcheck-archive"
# Version 2 added what readers see of a public claim: claims' drafts, and the approved copies (and removals
# waiting for approval) of evidence and appearances. Version 1 archives are still read (see SINCE).
VERSION = 2
READABLE_VERSIONS = (1, 2)
# Rows fetched per round trip while exporting, and inserted per statement while importing.
CHUNK_SIZE = 2000
BATCH_SIZE = 500
# Progress is reported every this many records of a section, and at its end.
PROGRESS_EVERY = 10_000

User = get_user_model()


class ArchiveError(Exception):
    """An archive that cannot be restored, or a database it cannot be restored into. ``line`` is the
    1-based line number at fault, when there is one."""

    def __init__(self, message, *, line=None):
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line


def dumps(record):
    """One line of the archive: sorted keys, no spaces, UTF-8 text left readable."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


# ---------------------------------------------------------------------------------------------------------
# Sections: one per record type, each knowing how to write its rows and read them back.


class Dumping:
    """What the export needs besides the row itself."""

    def __init__(self, using, *, include_password_hashes):
        self.using = using
        self.include_password_hashes = include_password_hashes
        self.usernames = dict(User._default_manager.using(using).values_list("pk", "username"))


class Loading:
    """What the import has learned so far that later records refer to by name."""

    def __init__(self, using, version=VERSION):
        self.using = using
        self.version = version
        self.user_ids = {}  # username → id, from the user records read so far
        self.users_without_password = 0
        self.group_ids = dict(Group.objects.using(using).values_list("name", "pk"))
        self.permission_ids = {
            f"{app_label}.{codename}": pk
            for pk, app_label, codename in Permission.objects.using(using).values_list(
                "pk", "content_type__app_label", "codename"
            )
        }


class ModelSection:
    """A model whose rows are written field by field, keeping their primary keys."""

    def __init__(self, type, model, fields, *, since=None):
        self.type = type
        self.model = model
        self.fields = fields
        self.since = since or {}  # field → the format version that added it (older archives lack it)

    def __repr__(self):
        return f"<section {self.type}>"

    def rows(self, using):
        return self.model._default_manager.using(using).order_by("pk")

    def count(self, using):
        return self.rows(using).count()

    def dump(self, obj, dumping):
        return {name: _dump_value(self._field(name), getattr(obj, self._field(name).attname), dumping)
                for name in self.fields}

    def load(self, data, loading):
        fields = [name for name in self.fields if self.since.get(name, 1) <= loading.version]
        _check_keys(data, required=fields)
        values = {}
        for name in fields:
            field = self._field(name)
            values[field.attname] = _load_value(field, data[name], loading, name)
        obj = self.model(**values)
        # Relations are checked by the database at the end; fields the archive does not carry are not its fault.
        unchecked = [f.name for f in self.model._meta.concrete_fields if f.is_relation or f.name not in self.fields]
        try:
            # max_length, choices and URL schemes: SQLite would store an over-long value without a word.
            obj.clean_fields(exclude=unchecked)
        except ValidationError as exc:
            raise ValueError(_validation_message(exc)) from None
        return obj

    def save(self, items, loading):
        self.model._default_manager.using(loading.using).bulk_create(items, batch_size=BATCH_SIZE)

    def _field(self, name):
        return self.model._meta.get_field(name)


class GroupSection:
    """Groups by name, with their permissions. Migrations create the roles' groups; they are updated in place."""

    type = "group"
    model = Group
    fields = ("name", "permissions")

    def rows(self, using):
        return Group.objects.using(using).order_by("name").prefetch_related(_permissions("permissions", using))

    def count(self, using):
        return Group.objects.using(using).count()

    def dump(self, group, dumping):
        return {"name": group.name, "permissions": _permission_names(group.permissions.all())}

    def load(self, data, loading):
        _check_keys(data, required=self.fields)
        name = _text(data["name"], "name", Group._meta.get_field("name").max_length)
        return name, _permission_ids(data["permissions"], loading, "permissions")

    def save(self, items, loading):
        for name, permission_ids in items:
            group, _ = Group.objects.using(loading.using).get_or_create(name=name)
            group.permissions.set(permission_ids)
            loading.group_ids[name] = group.pk


class UserSection(ModelSection):
    """Accounts, with their groups and permissions. Password hashes only when asked for; without them the
    account is restored with an unusable password, to be reset with ``manage.py changepassword``."""

    EXTRA = ("groups", "user_permissions")

    def __init__(self):
        super().__init__("user", User, ("id", "username", "first_name", "last_name", "email", "is_active",
                                        "is_staff", "is_superuser", "date_joined", "last_login"))

    def rows(self, using):
        return super().rows(using).prefetch_related("groups", _permissions("user_permissions", using))

    def dump(self, user, dumping):
        data = super().dump(user, dumping)
        data["groups"] = sorted(group.name for group in user.groups.all())
        data["user_permissions"] = _permission_names(user.user_permissions.all())
        if dumping.include_password_hashes:
            data["password"] = user.password
        return data

    def load(self, data, loading):
        _check_keys(data, required=(*self.fields, *self.EXTRA), optional=("password",))
        user = super().load({name: data[name] for name in self.fields}, loading)
        if "password" in data:
            user.password = _text(data["password"], "password", 128)
        else:
            user.set_unusable_password()
            loading.users_without_password += 1
        unknown = [name for name in _list(data["groups"], "groups") if name not in loading.group_ids]
        if unknown:
            raise ValueError(f"groups: no group named {unknown[0]!r} in the archive")
        group_ids = [loading.group_ids[name] for name in data["groups"]]
        permission_ids = _permission_ids(data["user_permissions"], loading, "user_permissions")
        if user.username in loading.user_ids:
            raise ValueError(f"username {user.username!r} appears twice")
        loading.user_ids[user.username] = user.pk
        return user, group_ids, permission_ids

    def save(self, items, loading):
        using = loading.using
        User._default_manager.using(using).bulk_create([user for user, _, _ in items], batch_size=BATCH_SIZE)
        groups, permissions = User.groups.through, User.user_permissions.through
        groups.objects.using(using).bulk_create(
            [groups(user_id=user.pk, group_id=g) for user, group_ids, _ in items for g in group_ids],
            batch_size=BATCH_SIZE,
        )
        permissions.objects.using(using).bulk_create(
            [permissions(user_id=user.pk, permission_id=p) for user, _, permission_ids in items
             for p in permission_ids],
            batch_size=BATCH_SIZE,
        )


class ClaimTopicSection:
    """The claims' topics: one record per (claim, topic) pair. The link table's own ids mean nothing."""

    type = "claim_topic"
    fields = ("claim", "topic")
    model = Claim.topics.through

    def rows(self, using):
        return self.model.objects.using(using).order_by("claim_id", "topic_id")

    def count(self, using):
        return self.rows(using).count()

    def dump(self, link, dumping):
        return {"claim": link.claim_id, "topic": link.topic_id}

    def load(self, data, loading):
        _check_keys(data, required=self.fields)
        return self.model(claim_id=_integer(data["claim"], "claim"), topic_id=_integer(data["topic"], "topic"))

    def save(self, items, loading):
        self.model.objects.using(loading.using).bulk_create(items, batch_size=BATCH_SIZE)


# Dependencies first. Two references point forward, to rows of the same or a later section: a claim's
# published_verdict and duplicate_of. Foreign keys are checked at the end of the import's transaction
# (Django creates them DEFERRABLE INITIALLY DEFERRED on PostgreSQL and SQLite), so that order is fine.
SECTIONS = [
    GroupSection(),
    UserSection(),
    ModelSection("rating", Rating, ("id", "slug", "label", "value", "definition", "colour", "order")),
    ModelSection("topic", Topic, ("id", "name", "slug")),
    ModelSection("claimant", Claimant, ("id", "name", "slug", "kind", "description", "same_as")),
    ModelSection("source", Source, ("id", "title", "url", "outlet", "author", "published_on", "language", "text",
                                    "created_at")),
    ModelSection("claim", Claim, (
        "id", "text", "slug", "quote", "quote_start", "quote_end", "claimant", "source", "claim_date", "language",
        "status", "close_reason", "assignee", "published_verdict", "recheck_on", "duplicate_of", "is_reader_tip",
        "tipster_email", "imported_from", "version", "created_at", "updated_at", "published_at", "draft",
    ), since={"draft": 2}),
    ClaimTopicSection(),
    ModelSection("appearance", Appearance, ("id", "claim", "url", "archived_url", "outlet", "seen_on", "approved",
                                            "removed"), since={"approved": 2, "removed": 2}),
    ModelSection("evidence", Evidence, (
        "id", "claim", "url", "title", "publisher", "note", "stance", "archived_url", "withheld", "withheld_reason",
        "added_by", "added_at", "last_checked_at", "last_status", "approved", "removed",
    ), since={"approved": 2, "removed": 2}),
    ModelSection("verdict", Verdict, (
        "id", "claim", "rating", "rating_label", "rating_value", "summary", "analysis", "correction_note",
        "proposed_by", "proposed_by_name", "proposed_at",
    )),
    ModelSection("claim_event", ClaimEvent, (
        "id", "claim", "actor", "actor_name", "at", "kind", "from_status", "to_status", "verdict", "note", "changes",
        "public",
    )),
]
SECTION_BY_TYPE = {section.type: section for section in SECTIONS}
ORDER = {section.type: index for index, section in enumerate(SECTIONS)}

# Tables a database must have no rows in before a restore. Migrations seed ratings and groups; the import
# replaces those.
MUST_BE_EMPTY = [User, Source, Claimant, Topic, Claim, Appearance, Evidence, Verdict, ClaimEvent]


# ---------------------------------------------------------------------------------------------------------
# Export.


def export(write, *, using="default", include_password_hashes=False, progress=None):
    """Write the register held in database ``using`` to ``write`` (called with one line of text at a time,
    newline included). ``progress(type, done, total)`` is called as sections advance. Returns the counts."""
    with _snapshot(using):
        counts = {section.type: section.count(using) for section in SECTIONS}
        write(dumps({"format": FORMAT, "version": VERSION, "counts": counts}) + "\n")
        dumping = Dumping(using, include_password_hashes=include_password_hashes)
        for section in SECTIONS:
            total = counts[section.type]
            done = 0
            for obj in section.rows(using).iterator(chunk_size=CHUNK_SIZE):
                write(dumps({"type": section.type, "data": section.dump(obj, dumping)}) + "\n")
                done += 1
                if progress and done % PROGRESS_EVERY == 0:
                    progress(section.type, done, total)
            if progress:
                progress(section.type, done, total)
    return counts


@contextmanager
def _snapshot(using):
    """Make every read of the export see the same moment, without holding up the desk's writes.

    - PostgreSQL: a repeatable-read, read-only transaction, as pg_dump takes.
    - SQLite: a plain (deferred) read transaction, which in WAL mode keeps one snapshot and blocks no writer.
      ``atomic()`` would BEGIN IMMEDIATE (settings.py asks for it) and take the write lock for the whole export.
    - Inside a caller's transaction (a test's, say): whatever that transaction sees.
    """
    connection = connections[using]
    if connection.in_atomic_block or connection.vendor not in {"postgresql", "sqlite"}:
        with transaction.atomic(using=using):
            yield
    elif connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    else:
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")  # it only read: commit and rollback are the same


def _dump_value(field, value, dumping):
    if value is None:
        return None
    if field.is_relation and field.related_model is User:
        return dumping.usernames[value]
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _permissions(lookup, using):
    return models.Prefetch(lookup, queryset=Permission.objects.using(using).select_related("content_type"))


def _permission_names(permissions):
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions)


# ---------------------------------------------------------------------------------------------------------
# Import.


def restore(lines, *, using="default", progress=None):
    """Restore the archive read from ``lines`` (an iterable of bytes, one line each) into the empty database
    ``using``, in one transaction. Raises ``ArchiveError`` with nothing written. Returns the counts of records
    restored, by type, and the number of users restored without a password hash (they cannot log in yet)."""
    connection = connections[using]
    lines = iter(lines)
    with transaction.atomic(using=using):
        _require_migrated_and_empty(using)
        header = _read_header(next(lines, b""))
        loading = Loading(using, header["version"])
        Rating.objects.using(using).all().delete()  # the migration's seeds; the archive has the real scale
        counts = {section.type: 0 for section in SECTIONS}
        expected = header["counts"]
        previous = None
        with _keeping_timestamps():
            for section, batch, first_line, last_line in _batches(lines, loading):
                if progress and previous not in (None, section):
                    progress(previous.type, counts[previous.type], expected.get(previous.type, 0))
                try:
                    section.save(batch, loading)
                except DatabaseError as exc:
                    where = f"line {first_line}" if first_line == last_line else f"lines {first_line}–{last_line}"
                    raise ArchiveError(f"{where} ({section.type}) could not be stored: {_first_line(exc)}") from exc
                before, previous = counts[section.type], section
                counts[section.type] += len(batch)
                if progress and counts[section.type] // PROGRESS_EVERY > before // PROGRESS_EVERY:
                    progress(section.type, counts[section.type], expected.get(section.type, 0))
        if progress and previous is not None:
            progress(previous.type, counts[previous.type], expected.get(previous.type, 0))
        _check_counts(expected, counts)
        if loading.version < 2:
            _approve_what_readers_saw(using)
        _rebuild_search_index(using)
        _reset_sequences(connection)
        try:
            connection.check_constraints()
        except DatabaseError as exc:
            raise ArchiveError(f"the archive refers to records it does not hold: {_first_line(exc)}") from exc
    return counts, loading.users_without_password


def _approve_what_readers_saw(using):
    """A version 1 archive predates approved copies: readers saw a public claim's appearances and the evidence
    its published verdict was signed off on (added before it was proposed), as migration 0012 found them."""
    evidence = Evidence.objects.using(using).filter(
        claim__published_verdict__isnull=False, added_at__lte=models.F("claim__published_verdict__proposed_at"))
    appearances = Appearance.objects.using(using).filter(claim__published_verdict__isnull=False)
    for items in (evidence, appearances):
        for item in items.iterator(chunk_size=CHUNK_SIZE):
            item.approved = item.approved_values()
            item.save(update_fields=["approved"])


def _require_migrated_and_empty(using):
    connection = connections[using]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise ArchiveError(f"the database has {len(pending)} unapplied migration(s): run `manage.py migrate "
                           f"--database {using}` first.")
    found = []
    for model in MUST_BE_EMPTY:
        n = model._default_manager.using(using).count()
        if n:
            found.append(f"{n} {model._meta.verbose_name_plural if n > 1 else model._meta.verbose_name}")
    if found:
        raise ArchiveError(f"the database is not empty (it has {', '.join(found)}). An archive is restored into "
                           "a new database only: create one, run `manage.py migrate`, then import.")


def _read_header(line):
    try:
        header = json.loads(line)
    except (UnicodeDecodeError, ValueError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ArchiveError(f"this is not a {FORMAT} file: its first line must be the header "
                           f'{{"format": "{FORMAT}", "version": {VERSION}, ...}}.', line=1)
    if header.get("version") not in READABLE_VERSIONS or isinstance(header.get("version"), bool):
        raise ArchiveError(f"archive format version {header.get('version')!r} is not supported; this version of "
                           f"the application reads versions {', '.join(map(str, READABLE_VERSIONS))}.", line=1)
    counts = header.get("counts")
    if not isinstance(counts, dict) or set(counts) - set(SECTION_BY_TYPE) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in counts.values()
    ):
        raise ArchiveError("the header's counts must map record types to numbers.", line=1)
    return header


def _batches(lines, loading):
    """(section, loaded items, first line, last line) per batch, never mixing sections; sections must come
    in their dependency order."""
    section, batch, first = None, [], None
    for number, line in enumerate(lines, start=2):
        record_section, data = _parse(line, number, after=section)
        if record_section is not section and batch:
            yield section, batch, first, number - 1
            batch = []
        section = record_section
        try:
            item = section.load(data, loading)
        except (ValueError, TypeError, ValidationError) as exc:
            raise ArchiveError(f"{section.type}: {_message(exc)}", line=number) from None
        if not batch:
            first = number
        batch.append(item)
        if len(batch) >= BATCH_SIZE:
            yield section, batch, first, number
            batch = []
    if batch:
        yield section, batch, first, number


def _parse(line, number, *, after):
    if not line.strip():
        raise ArchiveError("empty line; every line after the header is one record.", line=number)
    try:
        record = json.loads(line)
    except UnicodeDecodeError:
        raise ArchiveError("not UTF-8 text.", line=number) from None
    except ValueError as exc:
        raise ArchiveError(f"not valid JSON ({exc}).", line=number) from None
    if not isinstance(record, dict) or set(record) != {"type", "data"} or not isinstance(record["data"], dict):
        raise ArchiveError('a record must be {"type": ..., "data": {...}} and nothing else.', line=number)
    section = SECTION_BY_TYPE.get(record["type"])
    if section is None:
        raise ArchiveError(f"unknown record type {record['type']!r}.", line=number)
    if after is not None and ORDER[section.type] < ORDER[after.type]:
        raise ArchiveError(f"a {section.type} record after the {after.type} records: the sections are out of "
                           "order.", line=number)
    return section, record["data"]


def _check_counts(expected, found):
    for type_, n in found.items():
        if expected.get(type_, 0) != n:
            raise ArchiveError(f"the header promises {expected.get(type_, 0)} {type_} record(s) but the archive "
                               f"holds {n}: it is truncated or was edited.")


@contextmanager
def _keeping_timestamps():
    """Let bulk_create store the archive's created/updated times: auto_now and auto_now_add would replace them
    with the time of the import. The import runs alone in its process, so switching them off briefly is safe."""
    switched = []
    for model in apps.get_app_config("claims").get_models():
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                switched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in switched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _rebuild_search_index(using):
    """The search triggers ran as each claim was inserted, before its published verdict was: touch the column
    they watch so that they index the published summary too. (QuerySet.update leaves updated_at alone.)"""
    Claim.objects.using(using).filter(published_verdict__isnull=False).update(
        published_verdict=models.F("published_verdict")
    )


def _reset_sequences(connection):
    restored = [Group, Claim.topics.through, User.groups.through, User.user_permissions.through]
    restored += [section.model for section in SECTIONS if isinstance(section, ModelSection)]
    statements = connection.ops.sequence_reset_sql(no_style(), restored)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# ---------------------------------------------------------------------------------------------------------
# Reading values back.


def _check_keys(data, *, required, optional=()):
    missing = [name for name in required if name not in data]
    if missing:
        raise ValueError(f"missing field {missing[0]!r}")
    unknown = sorted(set(data) - set(required) - set(optional))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")


def _load_value(field, value, loading, name):
    if value is None:
        if not field.null:
            raise ValueError(f"{name}: may not be null")
        return None
    if field.is_relation and field.related_model is User:
        if value not in loading.user_ids:
            raise ValueError(f"{name}: no user {value!r} in the archive")
        return loading.user_ids[value]
    if field.is_relation:
        return _integer(value, name)
    if isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.DateTimeField):
        parsed = parse_datetime(value) if isinstance(value, str) else None
        if parsed is None or parsed.tzinfo is None:
            raise ValueError(f"{name}: {value!r} is not a date and time with its UTC offset")
        return parsed
    if isinstance(field, models.CharField | models.TextField) and not isinstance(value, str):
        raise ValueError(f"{name}: expected text, got {type(value).__name__}")
    if isinstance(field, models.BooleanField) and not isinstance(value, bool):
        raise ValueError(f"{name}: expected true or false, got {value!r}")
    if isinstance(field, models.IntegerField):
        return _integer(value, name)
    try:
        return field.to_python(value)
    except ValidationError as exc:
        raise ValueError(f"{name}: {_validation_message(exc)}") from None


def _integer(value, name):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}: expected a whole number, got {value!r}")
    return value


def _text(value, name, max_length):
    if not isinstance(value, str) or not value or len(value) > max_length:
        raise ValueError(f"{name}: expected text of 1 to {max_length} characters")
    return value


def _list(value, name):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{name}: expected a list of names")
    return value


def _permission_ids(names, loading, name):
    ids = []
    for permission in _list(names, name):
        if permission not in loading.permission_ids:
            raise ValueError(f"{name}: no permission {permission!r} in this database")
        ids.append(loading.permission_ids[permission])
    return ids


def _validation_message(exc):
    if hasattr(exc, "message_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        return f"{field}: {' '.join(messages)}"
    return " ".join(exc.messages)


def _message(exc):
    return _validation_message(exc) if isinstance(exc, ValidationError) else str(exc)


def _first_line(exc):
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
