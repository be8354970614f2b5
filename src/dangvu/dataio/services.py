"""Member import: preview (validate, classify new/update) and commit (all or nothing).

A file is streamed in batches of `BATCH_SIZE` rows (calamine reads the sheet; each distinct cell
value of a column is parsed once). For each batch:

1. cells were parsed by `reader.py` (types, choices, dates; errors carry row + column header);
2. the organisation of each row comes from the "Chi bộ" cell (code, or exact name) among the
   active organisations the actor may add members to, else the default organisation;
3. rows are matched to existing members by card number, else by citizen ID, with one query per
   batch (both columns are unique, hence indexed; each list of keys is one array parameter);
   duplicates inside the file are caught with the keys seen so far (the error on the later row
   names the earlier one);
4. each row is checked with the rules of `members.services.validate_member_data` and the
   model's field validation. The two uniqueness checks (one query each per row) are answered
   from the batch lookup instead, with the same text (`clash_message`). New rows go through
   `MemberDataChecker` (the same checks, rules memoised by date) and `FieldCheck` (the errors
   `full_clean` would give, without building the Member); updates through
   `validate_member_data(instance=…)` and `full_clean` on the member read from the database;
5. on commit, the batch is written in bulk with exactly the rows of
   `members.services.member_create` (Member with search_text/name_sort, MemberEvent
   "admitted", "recognised_official" when the official date is known, an open Membership:
   `writer.NewMemberWriter`, the members by COPY on PostgreSQL, the rest derived from them in
   the database) and of `member_update` for updates (profile fields only,
   `bulk_update_with_history`), with their history rows (history user = the actor, source
   "import"). The organisations' counters are refreshed once, at the end. On SQLite the
   connection gets a larger page cache while it writes (`writer.bulk_session`).

`commit_import` runs the whole pass inside ONE transaction: any row error, or any exception, rolls
everything back, so nothing is half-written.
"""

import contextlib
import gc
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from dangvu.core.audit import audit_context
from dangvu.core.bulk import ids_match
from dangvu.core.dates import fmt
from dangvu.core.rulebook import cached_rules
from dangvu.members import stats as member_stats
from dangvu.members.choices import MemberStatus
from dangvu.members.models import Member
from dangvu.members.services import (
    ADMISSION_FIELDS,
    PROFILE_FIELDS,
    MemberDataChecker,
    clash_message,
    validate_member_data,
)
from dangvu.organizations.models import Organization

from .fieldcheck import FieldCheck
from .reader import (
    ImportFileError,
    MemberSheet,
    ParsedRow,
    ParseResult,
    RowError,
    SheetInfo,
    column_header,
    parse_member_sheet,
)
from .writer import NewMemberWriter, bulk_session

BATCH_SIZE = 2000
MAX_ERRORS = 1000
PREVIEW_ROWS = 50
KEYS = ("card_number", "citizen_id")
# What an import may change on an existing member: the profile, never status, organisation or
# the admission dates (those change through lifecycle services with their decisions).
UPDATABLE_FIELDS = [f for f in PROFILE_FIELDS if f != "photo"]
_CLEAN_EXCLUDE = ["organization", "user", "photo"]

__all__ = [
    "ImportFileError",
    "ImportResult",
    "MemberImporter",
    "ParseResult",
    "ParsedRow",
    "RowError",
    "commit_import",
    "importable_organizations",
    "parse_member_sheet",
    "preview_import",
]


@dataclass
class ImportResult:
    info: SheetInfo | None = None
    total_rows: int = 0
    new_count: int = 0
    update_count: int = 0  # rows matched to an existing member (unchanged ones included)
    unchanged_count: int = 0  # matched rows whose values are already those of the record
    error_count: int = 0
    error_rows: int = 0
    errors: list[dict] = field(default_factory=list)  # first MAX_ERRORS {row, column, message}
    preview: list[dict] = field(default_factory=list)  # first PREVIEW_ROWS valid rows
    committed: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def changed_count(self) -> int:
        return self.update_count - self.unchanged_count

    def add_errors(self, errors: list[RowError]) -> None:
        if not errors:
            return
        self.error_rows += 1
        self.error_count += len(errors)
        room = MAX_ERRORS - len(self.errors)
        if room > 0:
            self.errors.extend(e.as_dict() for e in errors[:room])

    def summary(self) -> str:
        return _(
            "%(total)s dòng: %(new)s thêm mới, %(upd)s cập nhật (%(same)s không thay đổi), "
            "%(err)s lỗi ở %(rows)s dòng."
        ) % {
            "total": self.total_rows,
            "new": self.new_count,
            "upd": self.update_count,
            "same": self.unchanged_count,
            "err": self.error_count,
            "rows": self.error_rows,
        }


def importable_organizations(actor):
    """Active organisations the actor may add members to (every active one for the command line)."""
    qs = (
        Organization.objects.all()
        if actor is None
        else Organization.objects.restrict(actor, "add", module="members")
    )
    return qs.active()


@dataclass
class _Org:
    pk: int
    code: str
    name: str
    active: bool


@dataclass
class _NewMember:
    """A valid new row: the Member's field values as `member_create` would save them."""

    values: dict  # attname → value, organization_id and status included
    org: _Org


class MemberImporter:
    """One pass over a file: validate every row; with commit=True also write (caller's transaction)."""

    def __init__(
        self,
        *,
        actor,
        default_organization=None,
        commit: bool = False,
        progress=None,
        ip: str | None = None,
        source: str = "import",
        batch_size: int | None = None,
    ):
        self.actor = actor
        self.commit = commit
        self.progress = progress
        self.ip = ip
        self.source = source
        self.batch_size = batch_size or BATCH_SIZE
        self.result = ImportResult()
        self.allowed_orgs = importable_organizations(actor)
        self.default = None
        if default_organization is not None:
            found = self.allowed_orgs.filter(pk=default_organization.pk).first()
            if found is None:
                raise ImportFileError(
                    _(
                        "Tổ chức mặc định “%(name)s” không ở trong phạm vi bạn được thêm đảng viên, "
                        "hoặc đã giải thể."
                    )
                    % {"name": default_organization}
                )
            self.default = _Org(found.pk, found.code, found.name, True)
        self.org_cache: dict[str, tuple[_Org | None, str]] = {}
        self.seen_keys: dict[str, dict[str, int]] = {k: {} for k in KEYS}
        self.seen_members: dict[int, int] = {}
        self.history_attrs = {"ip_address": ip, "source": source}
        self.now = timezone.now()
        self.data_checker = MemberDataChecker()
        self.field_check = FieldCheck(Member, _CLEAN_EXCLUDE)
        self.touched_orgs: set[int] = set()  # counters refreshed once, after the last batch
        self.writer = NewMemberWriter(
            user=actor if getattr(actor, "pk", None) else None, history_attrs=self.history_attrs
        )

    # --------------------------------------------------------------------------------------------

    def run(self, source) -> ImportResult:
        writing = bulk_session() if self.commit else contextlib.nullcontext()
        with cached_rules(), MemberSheet(source) as sheet, writing, _long_lived_frozen():
            self.result.info = sheet.info
            total = sheet.info.estimated_rows
            if self.progress:
                self.progress(0, total, force=True)
            batch: list[ParsedRow] = []
            for row in sheet:
                batch.append(row)
                if len(batch) >= self.batch_size:
                    self._process(batch)
                    batch = []
                    if self.progress:
                        self.progress(
                            self.result.total_rows, max(total or 0, self.result.total_rows)
                        )
            if batch:
                self._process(batch)
            if self.commit and self.result.ok and self.touched_orgs:
                member_stats.refresh(self.touched_orgs)
        if self.progress:
            self.progress(self.result.total_rows, self.result.total_rows, force=True)
        return self.result

    # ---- organisation ---------------------------------------------------------------------------

    def _resolve_orgs(self, refs: set[str]) -> None:
        refs = {r for r in refs if r and r not in self.org_cache}
        if not refs:
            return
        codes = refs | {r.upper() for r in refs}
        rows = list(
            self._allowed_all()
            .filter(Q(code__in=codes) | Q(name__in=refs))
            .values("pk", "code", "name", "dissolved_on")
        )
        by_code = {r["code"]: r for r in rows}
        by_name: dict[str, list] = {}
        for r in rows:
            by_name.setdefault(r["name"], []).append(r)
        for ref in refs:
            hit = by_code.get(ref) or by_code.get(ref.upper())
            if hit is None:
                named = by_name.get(ref, [])
                if len(named) > 1:
                    self.org_cache[ref] = (
                        None,
                        _("Có %(n)s tổ chức cùng tên “%(ref)s”; ghi mã tổ chức thay cho tên.")
                        % {"n": len(named), "ref": ref},
                    )
                    continue
                hit = named[0] if named else None
            if hit is None:
                self.org_cache[ref] = (
                    None,
                    _(
                        "Không tìm thấy tổ chức “%(ref)s” trong phạm vi bạn được thêm đảng viên "
                        "(ghi mã tổ chức hoặc đúng tên tổ chức)."
                    )
                    % {"ref": ref},
                )
            elif hit["dissolved_on"] is not None:
                self.org_cache[ref] = (
                    None,
                    _("Tổ chức “%(name)s” đã giải thể ngày %(date)s.")
                    % {"name": hit["name"], "date": fmt(hit["dissolved_on"])},
                )
            else:
                self.org_cache[ref] = (_Org(hit["pk"], hit["code"], hit["name"], True), "")

    def _allowed_all(self):
        """The actor's organisations including dissolved ones (to say "dissolved", not "missing")."""
        if self.actor is None:
            return Organization.objects.all()
        return Organization.objects.restrict(self.actor, "add", module="members")

    # ---- a batch ---------------------------------------------------------------------------------

    def _process(self, batch: list[ParsedRow]) -> None:
        self._resolve_orgs({r.org_ref for r in batch})
        cards = {r.data["card_number"] for r in batch if r.data.get("card_number")}
        cids = {r.data["citizen_id"] for r in batch if r.data.get("citizen_id")}
        by_key: dict[str, dict[str, Member]] = {k: {} for k in KEYS}
        found_ids = _members_with_keys(cards, cids)
        if found_ids:
            found = Member.objects.filter(pk__in=found_ids).select_related("organization")
            for m in found:
                if m.card_number:
                    by_key["card_number"][m.card_number] = m
                if m.citizen_id:
                    by_key["citizen_id"][m.citizen_id] = m
        matched_ids = {m.pk for d in by_key.values() for m in d.values()}
        if self.actor is None or not matched_ids:
            changeable = matched_ids
        else:
            changeable = set(
                Member.objects.restrict(self.actor, "change")
                .filter(pk__in=matched_ids)
                .values_list("pk", flat=True)
            )

        new_members: list[_NewMember] = []
        updates: list[tuple[Member, list[str]]] = []
        for row in batch:
            self.result.total_rows += 1
            outcome = self._check_row(row, by_key, changeable)
            if row.errors:
                self.result.add_errors(row.errors)
                continue
            kind, member, changes = outcome
            if kind == "new":
                self.result.new_count += 1
                new_members.append(member)
            else:
                self.result.update_count += 1
                if changes:
                    updates.append((member, changes))
                else:
                    self.result.unchanged_count += 1
            if len(self.result.preview) < PREVIEW_ROWS:
                self.result.preview.append(self._preview(row, kind, member, changes))
        if self.commit and self.result.ok:
            self._write(new_members, updates)

    def _check_row(self, row: ParsedRow, by_key, changeable):
        data = row.data
        card = data.get("card_number") or ""
        cid = data.get("citizen_id") or ""
        # Duplicates inside the file: the later row names the earlier one.
        for key, value in (("card_number", card), ("citizen_id", cid)):
            if not value:
                continue
            first = self.seen_keys[key].get(value)
            if first is not None:
                row.error(
                    key,
                    _("%(label)s %(value)s trùng với dòng %(row)s của tệp.")
                    % {"label": column_header(key), "value": value, "row": first},
                )
            else:
                self.seen_keys[key][value] = row.row

        # Match an existing member: card number first, then citizen ID.
        member, matched_by = None, None
        if card and card in by_key["card_number"]:
            member, matched_by = by_key["card_number"][card], "card_number"
        elif cid and cid in by_key["citizen_id"]:
            member, matched_by = by_key["citizen_id"][cid], "citizen_id"
        if member is not None:
            if member.pk not in changeable:
                # Outside the actor's scope: say only that the number is taken (like the forms).
                row.error(matched_by, self._clash(matched_by, data[matched_by]))
                member = None
            else:
                first = self.seen_members.get(member.pk)
                if first is not None:
                    row.error(
                        matched_by,
                        _("Dòng này và dòng %(row)s cùng là hồ sơ của đảng viên %(name)s.")
                        % {"row": first, "name": member.full_name},
                    )
                else:
                    self.seen_members[member.pk] = row.row
                if matched_by == "card_number" and cid:
                    other = by_key["citizen_id"].get(cid)
                    if other is not None and other.pk != member.pk:
                        row.error("citizen_id", self._clash("citizen_id", cid))
                if matched_by == "citizen_id" and card and member.card_number not in (None, card):
                    row.error(
                        "card_number",
                        _(
                            "Đảng viên có Số CCCD %(cid)s đang có số thẻ %(old)s; đổi số thẻ phải "
                            "làm bằng thủ tục cấp lại thẻ trên trang hồ sơ đảng viên."
                        )
                        % {"cid": cid, "old": member.card_number},
                    )

        # Organisation.
        org = None
        if row.org_ref:
            org, message = self.org_cache[row.org_ref]
            if message:
                row.error("organization", message)
        elif member is None:
            org = self.default
            if org is None:
                row.error(
                    "organization",
                    _("Chưa ghi chi bộ (mã hoặc tên tổ chức) và chưa chọn tổ chức mặc định."),
                )
        if member is not None and org is not None and org.pk != member.organization_id:
            row.error(
                "organization",
                _(
                    "Đảng viên %(name)s đang sinh hoạt tại “%(org)s”; chuyển sinh hoạt phải làm "
                    "bằng thủ tục chuyển sinh hoạt đảng, không qua nhập tệp."
                )
                % {"name": member.full_name, "org": member.organization.name},
            )
        if member is not None:
            self._check_admission_unchanged(row, member)
        if row.errors:
            return None
        if member is None:
            return self._check_new(row, org)
        return self._check_update(row, member)

    @staticmethod
    def _clash(key: str, value: str) -> str:
        return clash_message(key, value)

    def _validate(self, row: ParsedRow, data: dict, instance: Member | None) -> None:
        # Uniqueness of card number and CCCD comes from the batch lookup, not a query per row.
        try:
            validate_member_data(data, instance=instance, check_unique=False)
        except ValidationError as exc:
            self._add_validation_errors(row, exc)

    def _full_clean(self, row: ParsedRow, member: Member) -> None:
        try:
            member.full_clean(
                exclude=_CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            self._add_validation_errors(row, exc)

    @staticmethod
    def _add_validation_errors(row: ParsedRow, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for key, messages in exc.message_dict.items():
                for message in messages:
                    row.error("" if key == NON_FIELD_ERRORS else key, message)
        else:
            for message in exc.messages:
                row.error("", message)

    def _check_new(self, row: ParsedRow, org: _Org):
        """The checks of member_create: validate_member_data (without the uniqueness queries,
        answered by the batch lookup), then the model's field validation (`FieldCheck`: the
        errors of full_clean without building the Member). Field errors are looked for only
        when the rules pass, as before."""
        data = row.data
        errors = self.data_checker.errors(data)
        if errors:
            self._add_validation_errors(row, ValidationError(errors))
            return None
        values = dict(data)
        values["organization_id"] = org.pk
        values["status"] = (
            MemberStatus.OFFICIAL if values.get("official_date") else MemberStatus.PROBATIONARY
        )
        values["card_number"] = (values.get("card_number") or "").strip() or None
        values["citizen_id"] = (values.get("citizen_id") or "").strip() or None
        if self.field_check.usable:
            errors = self.field_check.errors(values)
            if errors:
                self._add_validation_errors(row, ValidationError(errors))
                return None
        else:  # the model has its own clean(): only the instance says what it accepts
            member = Member(**values)
            self._full_clean(row, member)
            if row.errors:
                return None
            values = {k: getattr(member, k) for k in values}
        return "new", _NewMember(values, org), []

    @staticmethod
    def _check_admission_unchanged(row: ParsedRow, member: Member) -> None:
        """Admission dates of an existing member change on its page (events follow), not by import."""
        data = row.data
        for key in ADMISSION_FIELDS:
            value = data.get(key)
            current = getattr(member, key)
            if value is not None and value != current:
                if key == "admission_date":
                    message = _(
                        "Ngày vào Đảng %(new)s khác hồ sơ hiện có (%(old)s); sửa ngày vào Đảng "
                        "trên trang hồ sơ đảng viên, không qua nhập tệp."
                    )
                else:
                    message = _(
                        "Ngày chính thức %(new)s khác hồ sơ hiện có (%(old)s); công nhận chính "
                        "thức hoặc sửa ngày trên trang hồ sơ đảng viên, không qua nhập tệp."
                    )
                row.error(key, message % {"new": fmt(value), "old": fmt(current) or "—"})

    def _check_update(self, row: ParsedRow, member: Member):
        data = row.data
        changes = [k for k in UPDATABLE_FIELDS if k in data and data[k] != getattr(member, k)]
        merged = {f: getattr(member, f) for f in PROFILE_FIELDS + ADMISSION_FIELDS}
        merged.update({k: data[k] for k in changes})
        self._validate(row, merged, member)
        if row.errors:
            return None
        for k in changes:
            setattr(member, k, data[k])
        self._full_clean(row, member)
        return "update", member, changes

    def _preview(self, row: ParsedRow, kind: str, member, changes: list[str]) -> dict:
        if kind == "new":
            v = member.values
            full_name, dob = v.get("full_name", ""), v.get("date_of_birth")
            card, cid, org_name = v.get("card_number"), v.get("citizen_id"), member.org.name
        else:
            full_name, dob = member.full_name, member.date_of_birth
            card, cid, org_name = member.card_number, member.citizen_id, member.organization.name
        return {
            "row": row.row,
            "action": "new" if kind == "new" else ("update" if changes else "unchanged"),
            "full_name": full_name,
            "date_of_birth": fmt(dob),
            "card_number": card or "",
            "citizen_id": cid or "",
            "organization": org_name,
            "changes": [column_header(k) for k in changes],
        }

    # ---- writing ------------------------------------------------------------------------------

    def _write(
        self, new_members: list[_NewMember], updates: list[tuple[Member, list[str]]]
    ) -> None:
        """Exactly the rows member_create / member_update write, in bulk, with their history.
        The organisations' counters are refreshed once at the end of the run."""
        user = self.actor if getattr(self.actor, "pk", None) else None
        hist = {"default_user": user, "custom_historical_attrs": self.history_attrs}
        if new_members:
            self.writer.write([n.values for n in new_members])
            self.touched_orgs.update(n.values["organization_id"] for n in new_members)
        if updates:
            fields = {"search_text", "name_sort", "updated_at"}
            objs = []
            for m, changes in updates:
                fields.update(changes)
                m.refresh_derived()
                m.updated_at = self.now
                objs.append(m)
            bulk_update_with_history(
                objs, Member, sorted(fields), batch_size=self.batch_size, **hist
            )
            self.touched_orgs.update(m.organization_id for m in objs)


@contextlib.contextmanager
def _long_lived_frozen():
    """Leave the objects alive once the sheet is read (its rows, Django's own) out of the
    garbage collector's passes while the rows are checked and written: each full pass walked
    them all, a few seconds of a 100,000-row import. They are handed back at the end."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _members_with_keys(cards: set[str], cids: set[str]) -> list[int]:
    """Ids of the members holding one of these card numbers or citizen IDs: one statement with
    one parameter per list (an array on PostgreSQL), read through the two unique indexes."""
    if not cards and not cids:
        return []
    q = connection.ops.quote_name
    parts, params = [], []
    for column, values in (("card_number", cards), ("citizen_id", cids)):
        if values:
            where, p = ids_match(q(column), sorted(values))
            parts.append(f"SELECT {q('id')} FROM {q(Member._meta.db_table)} WHERE {where}")
            params += p
    with connection.cursor() as c:
        c.execute(" UNION ".join(parts), params)
        return [row[0] for row in c.fetchall()]


# ------------------------------------------------------------------------------------------------
# Entry points


def preview_import(
    source, *, actor, default_organization=None, progress=None, ip=None
) -> ImportResult:
    """Validate every row and classify it as new or update; writes nothing."""
    importer = MemberImporter(
        actor=actor, default_organization=default_organization, progress=progress, ip=ip
    )
    return importer.run(source)


class _Rollback(Exception):
    def __init__(self, result: ImportResult):
        self.result = result


def commit_import(
    source, *, actor, default_organization=None, progress=None, ip=None, source_label="import"
) -> ImportResult:
    """Validate and write every row in ONE transaction; nothing is written if any row is invalid.

    Returns the result with `committed=True` when written; with errors, `committed=False` and the
    database untouched. Unexpected exceptions roll back too and propagate.
    """
    with audit_context(actor=actor, ip=ip, source=source_label):
        try:
            with transaction.atomic():
                importer = MemberImporter(
                    actor=actor,
                    default_organization=default_organization,
                    commit=True,
                    progress=progress,
                    ip=ip,
                    source=source_label,
                )
                result = importer.run(source)
                if not result.ok:
                    raise _Rollback(result)
                if result.total_rows == 0:
                    raise _Rollback(result)
        except _Rollback as stop:
            return stop.result
    result.committed = True
    return result
