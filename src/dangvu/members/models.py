from django.conf import settings
from django.db import models
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from dangvu.core.audit import audited_history
from dangvu.core.scope import RestrictedQuerySet
from dangvu.core.text import name_sort_key, normalize

from . import search_index
from .choices import (
    ACTIVE_STATUSES,
    ETHNICITY_CHOICES,
    RELIGION_CHOICES,
    EventKind,
    Gender,
    GeneralEducation,
    MemberStatus,
    PoliticalTheory,
    ProfessionalDegree,
    StateManagement,
    TransferKind,
)

# Words found in a large share of Vietnamese names (family names, "thị", "văn", frequent
# middle names), normalised. Only a hint for the query plan; the results are the same.
COMMON_NAME_WORDS = frozenset(
    [
        "nguyen",
        "tran",
        "le",
        "pham",
        "hoang",
        "huynh",
        "phan",
        "vu",
        "vo",
        "dang",
        "bui",
        "do",
        "ho",
        "ngo",
        "duong",
        "ly",
        "thi",
        "van",
        "duc",
        "huu",
        "minh",
        "thanh",
        "ngoc",
        "quang",
        "xuan",
        "hong",
        "kim",
        "cong",
        "dinh",
    ]
)


def _spaced():
    """' ' || search_text: each word begins after a space (LIKE '% term%'), the expression
    PostgreSQL keeps statistics on (members.search_index)."""
    return models.Func(
        models.F("search_text"),
        template="(' ' || %(expressions)s)",
        output_field=models.CharField(),
    )


# A search PostgreSQL expects to match this share of the members (or more) is counted and paged by
# reading the table with the terms' LIKE (about 0.4 µs a row): the 1,001 rows of the capped count
# turn up within 50,000 rows, where the keys index first lists every match, about 0.5 µs each
# for the count and the page (112,000 or more): "a" (215,000 members) 92 → 20 ms, "nguyen van"
# (386,000) 140 → 22 ms (MemberQuerySet.search).
SCAN_SHARE = 0.02

# A search counts its matches up to this many (MemberQuerySet.count_cap); past it the page says
# "more than 1,000" and, on PostgreSQL, lists the matches in storage order (for_page).
SEARCH_COUNT_CAP = 1_000


class MemberQuerySet(RestrictedQuerySet):
    # the search terms of `search()`, kept through filtering so that `for_page` knows
    _search_terms: tuple = ()
    # capped counts `search()` already made, shared by the clones of that search, so the
    # paginator does not run the same WHERE again: {(sql, params): count}
    _known_counts: dict | None = None

    # a lower bound of the rows (`members.selectors.known_large`), dropped by anything that may
    # remove rows, so that only ordering, joins for display and the paginator's slice keep it
    _at_least: int = 0
    # a page of search results listed in storage order (for_page), which the page says
    unsorted: bool = False

    def _clone(self):
        c = super()._clone()
        c._search_terms = self._search_terms
        c._known_counts = self._known_counts
        c._at_least = self._at_least
        return c

    def at_least(self, n: int):
        c = self._chain()
        c._at_least = n
        return c

    def _narrowed(self, qs):
        qs._at_least = 0
        return qs

    def _filter_or_exclude(self, negate, args, kwargs):
        return self._narrowed(super()._filter_or_exclude(negate, args, kwargs))

    def none(self):
        return self._narrowed(super().none())

    def extra(self, *args, **kwargs):
        return self._narrowed(super().extra(*args, **kwargs))

    def distinct(self, *fields):
        return self._narrowed(super().distinct(*fields))

    def annotate(self, *args, **kwargs):
        return self._narrowed(super().annotate(*args, **kwargs))

    def alias(self, *args, **kwargs):
        return self._narrowed(super().alias(*args, **kwargs))

    def _combinator_query(self, *args, **kwargs):
        return self._narrowed(super()._combinator_query(*args, **kwargs))

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def _count_key(self):
        try:
            sql, params = self.query.get_compiler(self.db).as_sql()
            return sql, tuple(params)
        except Exception:  # EmptyResultSet, unhashable parameters: just count
            return None

    def count(self):
        q = self.query
        if (
            self._at_least
            and self._result_cache is None
            and q.low_mark == 0
            and q.high_mark is not None
            and self._at_least >= q.high_mark
            and not q.is_empty()
        ):
            return q.high_mark  # the capped count of a list known to be longer
        if self._known_counts and self._result_cache is None:
            key = self._count_key()
            if key in self._known_counts:
                return self._known_counts[key]
        return super().count()

    def for_page(self, *, capped: bool):
        """The rows of a page of search results, chosen so the database reads only the matches.

        Called by the paginator, which has already counted (up to its cap). On PostgreSQL, up to
        the cap, ordering on `name_sort COLLATE "C"` (the same order under the C.UTF-8 database,
        which the name index cannot serve) makes it take the index's matches and sort only
        them; in plain name order it walked the `name_sort` index testing every member (13 s
        for a card number among 5.6 million).
        Past the cap no name order is cheap: the name index walk reads every given name sorting
        before the matches ("nguyen hung": 1.7 million members, 8.7 s), and sorting means
        fetching every match (71,000). The page then lists the matches in storage order, read
        from the index with no sort, and says so (`unsorted`). SQLite walks the name index
        (its FTS5 test rewritten so it does not drive the query), which a province can afford.
        A sort the user chose keeps the query as it is.
        """
        from django.db import connection
        from django.db.models.functions import Collate

        if not self._search_terms:
            return self
        if tuple(self.query.order_by) not in ((), ("name_sort", "id"), ("name_sort",)):
            return self
        if connection.vendor == "sqlite":
            return search_index.drive_by_name_order(self) if capped else self
        if connection.vendor != "postgresql":
            return self
        if capped:
            qs = self.order_by()
            qs.unsorted = True
            return qs
        return self.order_by(Collate("name_sort", "C"), "id")

    def _match_keys(
        self,
        terms,
        alternatives=None,
        *,
        one_slip: bool = False,
        known=None,
        scan=False,
        prefilter=True,
    ):
        """PostgreSQL: `_match` through the exact keys index (search_index.search_keys_condition):
        each term without digits stands for the known words it begins, or those its corrections
        (`alternatives`) begin; `one_slip`: the corrections of one term at a time. `known`:
        {beginning: words} already looked up. `scan` (no `alternatives`): the same rows through
        the LIKE of each term alone, which no index serves: for a search of so many members that
        reading the table in order finds a page sooner than the index lists them all (search).
        `prefilter=False`: without the LIKE a scan tests first, for the planner's estimate of
        the rows (it would count the same condition twice)."""
        from django.db import connection

        alternatives = alternatives or {}
        words = [t for t in terms if not search_index.has_digit(t)]
        numbers = [t for t in terms if search_index.has_digit(t)]
        known = dict(known or {})
        missing = {b for t in words for b in (t, *alternatives.get(t, ())) if b not in known}
        if missing:
            known.update(search_index.Words(connection).expand(missing))

        def words_of(slipped):  # {term: words}; terms in `slipped` also take their corrections
            out = {}
            for t in words:
                bs = (t, *alternatives.get(t, ())) if t in slipped else (t,)
                out[t] = sorted({w for b in bs for w in known[b]})
            return out

        choices = [{s} for s in alternatives] if one_slip else [set(alternatives)]
        q, keys = None, None
        for slipped in choices:
            made = search_index.search_keys_condition(words_of(slipped), numbers)
            if made is not None:
                q = made[0] if q is None else q | made[0]
                keys = made[1]
        if q is None:
            return self.none()
        # The same test as a word beginning in the text, for every term (with its corrections):
        # a scan that filters row by row (a page of a word in millions of names) tries this
        # LIKE first, at a fraction of a microsecond, and calls the keys function only on the
        # rows it lets through; an index plan only re-reads it on the rows it fetches.
        likes = models.Q()
        for t in words:
            one = models.Q()
            for b in (t, *alternatives.get(t, ())):
                one |= models.Q(_spaced__contains=" " + b)
            likes &= one
        if scan and not alternatives:
            made = search_index.search_keys_condition({}, numbers)
            return self.alias(_spaced=_spaced(), _search_keys=made[1]).filter(likes, made[0])
        if not prefilter:
            return self.alias(_search_keys=keys).filter(q)
        return self.alias(_spaced=_spaced(), _search_keys=keys).filter(likes, q)

    def _match(self, terms, alternatives=None, *, one_slip: bool = False):
        """Rows whose words begin with every term (or, for a term in `alternatives`, with one of
        its corrections). `one_slip`: the corrections of only one term at a time are accepted.

        A very common word ("nguyễn", "thị", "văn") is in millions of names: as an index
        condition it makes PostgreSQL read millions of trigram entries even when another term
        is rare. Such words (and terms one of whose corrections is one) are tested on the rows
        the rare terms select, through an expression the trigram index does not cover
        (" " || search_text); when every term is common, all go to the index.
        """
        alternatives = alternatives or {}

        def condition(beginnings):  # [[term, *its corrections] for each term]
            common = [any(b in COMMON_NAME_WORDS for b in bs) for bs in beginnings]
            by_filter = not all(common)
            q = models.Q()
            for bs, is_common in zip(beginnings, common, strict=True):
                part = models.Q()
                for b in bs:
                    if by_filter and is_common:
                        part |= models.Q(_spaced__contains=" " + b)
                    else:
                        part |= models.Q(search_text__startswith=b)
                        part |= models.Q(search_text__contains=" " + b)
                q &= part
            return q

        if one_slip:
            q = models.Q()
            for slipped in alternatives:
                q |= condition([[t, *alternatives[t]] if t == slipped else [t] for t in terms])
        else:
            q = condition([[t, *alternatives.get(t, ())] for t in terms])
        # written as in the statistics PostgreSQL keeps on it (members.search_index): without
        # them each such filter was guessed to keep 0.5 % of the rows, two common words made
        # "1 row" and the join with the organisations a nested loop (3.9 s for "nguyen thi ha"
        # in a province, 0.27 s with the statistics)
        return self.alias(_spaced=_spaced()).filter(q)

    def search(self, query: str, *, fuzzy: bool = True):
        """Accent- and case-insensitive search on the normalised `search_text`.

        Every term must start a word ("anh" finds "Ánh", not "Thanh"). On PostgreSQL the terms
        become the known words they begin and are looked up, two by two, in a GIN index of each
        member's name words and word pairs (search_index.search_keys_condition); on SQLite an
        FTS5 index selects the candidates of a LIKE match (members.search_index).
        On PostgreSQL a typo is tolerated: a term that begins no known name word is replaced by
        its one-slip corrections that do ("nguyen huu dihn" finds "Nguyễn Hữu Định"); when every
        term is a known word but nothing matches (the slip made another word: "huong" typed
        "hung"), one term at a time may be one slip away. Both search through the index, never
        comparing the query with every member. SQLite stays with the exact word-prefix match.
        """
        from django.db import connection

        from dangvu.core.text import search_terms

        terms = search_terms(query)
        if not terms:
            return self
        if connection.vendor != "postgresql" or not search_index.installed(connection):
            qs = self._match(terms)
            if connection.vendor == "sqlite":
                candidates = search_index.fts_candidates(connection, terms)
                if candidates is not None:
                    qs = qs.filter(pk__in=candidates)
            qs._search_terms = tuple(terms)
            return qs
        words = search_index.Words(connection)
        known = words.expand(t for t in terms if not search_index.has_digit(t))
        unknown = [t for t, found in known.items() if not found]
        if unknown and fuzzy:  # nothing can match exactly: search the corrections instead
            return self._fuzzy(terms, words.corrections(unknown, beginnings=True))
        qs = self._match_keys(terms, known=known)
        qs._search_terms = tuple(terms)
        if not fuzzy or unknown:
            return qs
        from dangvu.core.viewmixins import CappedPaginator

        cap = qs.count_cap(CappedPaginator.cap)
        estimated = self._match_keys(terms, known=known, prefilter=False)
        n = None
        if search_index.share_of_members(estimated) >= SCAN_SHARE:
            scan = self._match_keys(terms, known=known, scan=True)
            scan._search_terms = tuple(terms)
            probe = scan.order_by()[: cap + 1]
            n = probe.count()
            if n > cap:  # as dense as estimated: count and page by reading the table in order
                scan._known_counts = {probe._count_key(): n}
                return scan
        probe = qs.order_by()[: cap + 1]
        if n is None:
            n = probe.count()
        qs._known_counts = {probe._count_key(): n}  # the scan's count is of the same rows
        if n:
            return qs
        # a common word is rarely the slip, and its corrections ("nguyen" → "nguyet") would
        # only widen the search
        slips = words.corrections(
            [t for t in terms if t not in COMMON_NAME_WORDS], beginnings=False
        )
        return self._fuzzy(terms, slips, one_slip=True) if slips else qs

    def _fuzzy(self, terms, alternatives, *, one_slip=False):
        qs = self._match_keys(terms, alternatives, one_slip=one_slip)
        qs._search_terms = tuple(terms)
        return qs

    def count_cap(self, cap: int) -> int:
        """The paginator's count stops at `cap`; search results stop at SEARCH_COUNT_CAP: past it a
        search is too vague to read through, and counting its matches costs a table row each."""
        return min(cap, SEARCH_COUNT_CAP) if self._search_terms else cap


post_migrate.connect(
    lambda sender, **kw: sender.label == "members" and search_index.on_post_migrate(sender, **kw),
    dispatch_uid="members_search_index",
    weak=False,
)


class Member(models.Model):
    """A party member's record (the résumé form Mẫu 2-HSĐV). Status changes only through MemberEvent."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("Chi bộ/Tổ chức sinh hoạt"),
    )
    status = models.CharField(
        _("Trạng thái"),
        max_length=20,
        choices=MemberStatus.choices,
        default=MemberStatus.PROBATIONARY,
    )
    full_name = models.CharField(_("Họ và tên khai sinh"), max_length=120)
    other_names = models.CharField(_("Tên gọi khác"), max_length=120, blank=True)
    gender = models.CharField(_("Giới tính"), max_length=6, choices=Gender.choices)
    date_of_birth = models.DateField(_("Ngày sinh"))
    birth_place = models.CharField(_("Nơi sinh"), max_length=255, blank=True)
    hometown = models.CharField(_("Quê quán"), max_length=255, blank=True)
    ethnicity = models.CharField(
        _("Dân tộc"), max_length=40, choices=ETHNICITY_CHOICES, default="Kinh"
    )
    religion = models.CharField(
        _("Tôn giáo"), max_length=60, choices=RELIGION_CHOICES, default="Không"
    )
    citizen_id = models.CharField(_("Số CCCD"), max_length=12, unique=True, null=True, blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("Email"), blank=True)
    address = models.CharField(_("Nơi ở hiện nay"), max_length=255, blank=True)
    general_education = models.CharField(
        _("Giáo dục phổ thông"),
        max_length=10,
        choices=GeneralEducation.choices,
        default=GeneralEducation.THPT,
    )
    professional_degree = models.CharField(
        _("Trình độ chuyên môn"),
        max_length=12,
        choices=ProfessionalDegree.choices,
        default=ProfessionalDegree.NONE,
    )
    professional_field = models.CharField(_("Chuyên ngành"), max_length=120, blank=True)
    political_theory = models.CharField(
        _("Lý luận chính trị"),
        max_length=14,
        choices=PoliticalTheory.choices,
        default=PoliticalTheory.NONE,
    )
    state_management = models.CharField(
        _("Quản lý nhà nước"),
        max_length=12,
        choices=StateManagement.choices,
        default=StateManagement.NONE,
    )
    foreign_language = models.CharField(_("Ngoại ngữ"), max_length=120, blank=True)
    occupation = models.CharField(_("Nghề nghiệp"), max_length=120, blank=True)
    position = models.CharField(_("Chức vụ"), max_length=160, blank=True)
    workplace = models.CharField(_("Nơi làm việc"), max_length=255, blank=True)
    card_number = models.CharField(
        _("Số thẻ đảng viên"), max_length=20, unique=True, null=True, blank=True
    )
    admission_date = models.DateField(_("Ngày vào Đảng"))  # indexed in Meta.indexes
    admission_place = models.CharField(_("Nơi vào Đảng"), max_length=255, blank=True)
    official_date = models.DateField(_("Ngày chính thức"), null=True, blank=True)
    introducers = models.CharField(_("Người giới thiệu"), max_length=255, blank=True)
    photo = models.ImageField(_("Ảnh"), upload_to="members/photos/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("Tài khoản"),
    )
    # no B-tree index: searches go through the keys and trigram indexes (PostgreSQL) or FTS5
    # (SQLite); the two B-trees Django made here (662 MB nationally) served no query
    search_text = models.CharField(max_length=400, editable=False, default="")
    name_sort = models.CharField(max_length=255, editable=False, db_index=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()
    # The history keeps no index on the card and citizen numbers (unique on the member, so
    # copied as indexes, with their LIKE twins: four indexes, 700 MB nationally, that no
    # history view reads and every import and load writes).
    history = audited_history(
        excluded_fields=["search_text", "name_sort", "updated_at"],
        no_db_index=["card_number", "citizen_id"],
    )

    scope_module = "members"
    scope_org_field = "organization"
    scope_member_field = "pk"

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
        ordering = ["name_sort", "id"]
        indexes = [
            models.Index(fields=["organization", "status"], name="member_org_status_idx"),
            models.Index(fields=["status", "name_sort"], name="member_status_name_idx"),
            # age bands: the members born in the month a band starts (members.stats), read from
            # the index alone (status and organisation included)
            models.Index(
                fields=["date_of_birth", "status", "organization"], name="member_birth_status_idx"
            ),
            # "admitted this year" and the badge tiers (one admission-date range per tier):
            # ranges answered from the index alone; `id` a key column, not INCLUDE, for SQLite
            models.Index(
                fields=["admission_date", "status", "organization", "id"],
                name="member_admission_status_idx",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.refresh_derived()
        super().save(*args, **kwargs)

    def refresh_derived(self) -> None:
        """The search and sort columns; bulk writers call this since bulk_create skips save()."""
        self.search_text = normalize(
            self.full_name, self.other_names, self.card_number, self.citizen_id
        )
        self.name_sort = name_sort_key(self.full_name)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class MemberEvent(models.Model):
    """A dated lifecycle event with its decision; the only way a member's status changes."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="events", verbose_name=_("Đảng viên")
    )
    kind = models.CharField(_("Loại sự kiện"), max_length=24, choices=EventKind.choices)
    date = models.DateField(_("Ngày hiệu lực"))
    decision_number = models.CharField(_("Số quyết định"), max_length=64, blank=True)
    decision_date = models.DateField(_("Ngày quyết định"), null=True, blank=True)
    issuer = models.CharField(_("Cơ quan quyết định"), max_length=255, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="member_events",
        verbose_name=_("Tổ chức"),
    )
    to_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_member_events",
        verbose_name=_("Chuyển đến tổ chức"),
    )
    external_place = models.CharField(_("Nơi đi/đến ngoài hệ thống"), max_length=255, blank=True)
    transfer_kind = models.CharField(
        _("Hình thức chuyển"), max_length=10, choices=TransferKind.choices, blank=True
    )
    status_before = models.CharField(
        _("Trạng thái trước"), max_length=20, choices=MemberStatus.choices, blank=True
    )
    status_after = models.CharField(
        _("Trạng thái sau"), max_length=20, choices=MemberStatus.choices
    )
    old_value = models.CharField(_("Giá trị cũ"), max_length=120, blank=True)
    new_value = models.CharField(_("Giá trị mới"), max_length=120, blank=True)
    note = models.TextField(_("Ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "members"
    scope_org_field = "member__organization"
    scope_member_field = "member"

    class Meta:
        verbose_name = _("sự kiện đảng viên")
        verbose_name_plural = _("sự kiện đảng viên")
        ordering = ["member", "date", "id"]
        indexes = [
            models.Index(fields=["member", "date"], name="mevent_member_date_idx"),
            models.Index(fields=["kind", "date"], name="mevent_kind_date_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.member} · {self.date:%d/%m/%Y}"


class Membership(models.Model):
    """Where a member belonged during [valid_from, valid_to): members of an organisation as of a date."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="memberships"
    )
    kind = models.CharField(
        max_length=10, choices=TransferKind.choices, default=TransferKind.OFFICIAL
    )
    valid_from = models.DateField(_("Từ ngày"))
    valid_to = models.DateField(_("Đến ngày (không kể)"), null=True, blank=True)
    event = models.ForeignKey(
        MemberEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()
    history = audited_history()

    scope_module = "members"
    scope_org_field = "organization"
    scope_member_field = "member"

    class Meta:
        verbose_name = _("quá trình sinh hoạt")
        verbose_name_plural = _("quá trình sinh hoạt")
        ordering = ["member", "valid_from"]
        indexes = [
            models.Index(fields=["organization", "valid_from"], name="mship_org_from_idx"),
            models.Index(fields=["member", "valid_from"], name="mship_member_from_idx"),
        ]

    def __str__(self):
        return f"{self.member} @ {self.organization} từ {self.valid_from:%d/%m/%Y}"


class OrganizationStats(models.Model):
    """Counts of the members directly in an organisation, kept current by every member write.

    Derived data (recomputed from Member by `members.stats.refresh`), so the home page, the tree
    and the size warnings sum a few hundred thousand rows nationally instead of counting 5.6
    million members per request. Not audited: it holds nothing that is not in Member.
    """

    organization = models.OneToOneField(
        "organizations.Organization",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stats",
        verbose_name=_("Tổ chức"),
    )
    active = models.PositiveIntegerField(_("Đang sinh hoạt"), default=0)
    official = models.PositiveIntegerField(_("Chính thức"), default=0)
    probationary = models.PositiveIntegerField(_("Dự bị"), default=0)
    exempt = models.PositiveIntegerField(_("Miễn công tác và sinh hoạt"), default=0)
    male = models.PositiveIntegerField(_("Nam (đang sinh hoạt)"), default=0)
    female = models.PositiveIntegerField(_("Nữ (đang sinh hoạt)"), default=0)
    # Members on the roll of the whole subtree, {"<status>|<gender>|<YYYY-MM of birth>": n}, kept
    # for organisations at depth <= members.stats.ROLLUP_DEPTH only (the upper levels, where a
    # count over the member table would read millions of rows); {} elsewhere.
    subtree = models.JSONField(_("Số liệu toàn đảng bộ"), default=dict, blank=True)
    # Active members of the whole subtree, for every organisation (the size rule of a grassroots
    # committee counts its cells' members): kept by members.stats with the direct counts.
    subtree_active = models.PositiveIntegerField(_("Đang sinh hoạt (cả cấp dưới)"), default=0)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    scope_module = "members"
    scope_org_field = "organization"

    class Meta:
        verbose_name = _("số liệu đảng viên của tổ chức")
        verbose_name_plural = _("số liệu đảng viên của tổ chức")

    def __str__(self):
        return f"{self.organization_id}: {self.active}"
