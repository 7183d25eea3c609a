"""Member, link and settings rows: validation on the way in, records on the way out.

Every value is checked here before it reaches SQL (the schema's CHECKs are the second line), so a
bad record is refused with a message naming it and the field. The bulk paths (imports of 100k
members, reading 100k members + 300k links) have fast paths measured in bench/.
Why ~575 lines: validation of every member/link/settings field (a record at a time, and a column
at a time for imports) and the fast bulk row builders belong together (the same field list
drives all of them; the column check falls back on the record check for its messages).
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import fields, replace
from datetime import date
from typing import Any

import numpy as np

from cluster_desk.core.model import (
    ClusterSettings,
    Industry,
    Link,
    LinkKind,
    Member,
    MemberKind,
    SpecialTerritory,
    Status,
)

MAX_ID = 200
_MAX_EMPLOYEES = 100_000_000  # more than the largest employer on earth; catches typos and overflow
_MAX_RADIUS_KM = 20_100.0  # half the Earth's circumference
#: Roubles a year: far above any firm's output (Gazprom's revenue is ~1e13); catches unit typos.
MAX_ROUBLES = 1e15

# The read paths below unpack rows positionally in the dataclasses' field order: fail loudly at
# import if the model's field order ever changes, rather than silently swapping columns.
MEMBER_ORDER = (
    "name", "kind", "status", "id", "sector", "industry", "employees", "lat", "lon",
    "address", "inn", "website", "contact", "joined", "left", "notes",
    "output", "special_territory", "organising_production",
)  # fmt: skip
LINK_ORDER = ("source", "target", "kind", "id", "start", "share", "notes", "end", "volume", "contract")
if (
    tuple(f.name for f in fields(Member)) != MEMBER_ORDER
    or tuple(f.name for f in fields(Link)) != LINK_ORDER
):
    raise ImportError("cluster_desk.store.rows: Member/Link field order changed; update the store")


# str value -> enum; used both to validate (keys are the allowed values) and to rebuild records.
# A StrEnum member hashes and compares like its value, so lookups accept either.
_KIND = {k.value: k for k in MemberKind}
_STATUS = {s.value: s for s in Status}
_INDUSTRY = {i.value: i for i in Industry}
_LINK_KIND = {k.value: k for k in LinkKind}
_TERRITORY = {t.value: t for t in SpecialTerritory}
# Enum or its value -> the plain str value (what the table stores).
# Keyed by the members themselves (what a Member holds): a look-up finds its key by identity,
# where a text key meant a str comparison with the member per value (~13 ns of ~37 a value in a
# 100,000-member import's column check). The text of a value finds it too (equal, same hash).
_KIND_STR = {k: k.value for k in MemberKind}
_STATUS_STR = {k: k.value for k in Status}
_INDUSTRY_STR = {k: k.value for k in Industry}
_LINK_KIND_STR = {k: k.value for k in LinkKind}
_TERRITORY_STR = {t: t.value for t in SpecialTerritory}

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
SETTINGS_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ClusterSettings))


# --------------------------------------------------------------------------- validation


def _label(kind: str, ident: object, name: object = None) -> str:
    return f"{kind} {name!r}" if isinstance(name, str) and name.strip() else f"{kind} {ident!r}"


def _check_id(value: object, what: str) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_ID:
        raise ValueError(
            f"{what}: id must be a non-empty text of at most {MAX_ID} characters, got {value!r}"
        )
    return value


def _real(value: object, what: str, field_name: str, lo: float, hi: float) -> float:
    if type(value) is not float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{what}: {field_name} must be a number, got {value!r}")
        value = float(value)
    if not math.isfinite(value) or not lo <= value <= hi:
        raise ValueError(f"{what}: {field_name} must be between {lo:g} and {hi:g}, got {value!r}")
    return value


def _is_date(value: object) -> bool:
    return type(value) is str and _is_date_text(value)


@functools.lru_cache(maxsize=4096)  # bulk imports repeat few distinct dates
def _is_date_text(value: str) -> bool:
    if not _DATE_RE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:  # 2025-02-30
        return False
    return True


def _date(value: object, what: str, field_name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and _is_date(str(value)):
        return str(value)
    raise ValueError(f"{what}: {field_name} must be an ISO date YYYY-MM-DD or empty, got {value!r}")


def check_text(value: object, what: str, field_name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what}: {field_name} must be text, got {value!r}")
    return value


def member_row_checked(m: Member) -> tuple[Any, ...]:
    """Validated column values of ``m`` in table order (id, *MEMBER_FIELDS); ValueError if bad."""
    if not isinstance(m, Member):
        raise ValueError(f"expected a Member, got {type(m).__name__}")
    what = _label("member", m.id, m.name)
    mid = _check_id(m.id, what)
    name = m.name
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{what}: the name must not be empty")
    kind = _KIND.get(m.kind)
    status = _STATUS.get(m.status)
    industry = _INDUSTRY.get(m.industry)
    if kind is None:
        raise ValueError(f"{what}: unknown kind {m.kind!r}")
    if status is None:
        raise ValueError(f"{what}: unknown status {m.status!r}")
    if industry is None:
        raise ValueError(f"{what}: unknown industry {m.industry!r}")
    employees = m.employees
    if employees is not None and (
        type(employees) is not int or not 0 <= employees <= _MAX_EMPLOYEES  # bool is not a head count
    ):
        raise ValueError(
            f"{what}: employees must be a whole number from 0 to {_MAX_EMPLOYEES}, got {employees!r}"
        )
    lat, lon = m.lat, m.lon
    if lat is None or lon is None:
        if lat is not None or lon is not None:
            raise ValueError(f"{what}: give both latitude and longitude, or neither")
    else:
        lat = _real(lat, what, "latitude", -90.0, 90.0)
        lon = _real(lon, what, "longitude", -180.0, 180.0)
    output = None if m.output is None else _real(m.output, what, "output", 0.0, MAX_ROUBLES)
    territory = _TERRITORY.get(m.special_territory)
    if territory is None:
        raise ValueError(f"{what}: unknown special territory {m.special_territory!r}")
    if type(m.organising_production) is not bool:
        raise ValueError(f"{what}: organising production must be yes or no, got {m.organising_production!r}")
    return (
        mid, name, kind.value, status.value,
        check_text(m.sector, what, "sector"), industry.value, employees, lat, lon,
        check_text(m.address, what, "address"), check_text(m.inn, what, "inn"),
        check_text(m.website, what, "website"), check_text(m.contact, what, "contact"),
        _date(m.joined, what, "joined"), _date(m.left, what, "left"),
        check_text(m.notes, what, "notes"), output, territory.value, int(m.organising_production),
    )  # fmt: skip


def link_row_checked(link: Link) -> tuple[Any, ...]:
    """Validated column values of ``link`` in table order (id, *LINK_FIELDS)."""
    if not isinstance(link, Link):
        raise ValueError(f"expected a Link, got {type(link).__name__}")
    what = f"link {link.id!r}"
    lid = _check_id(link.id, what)
    source = _check_id(link.source, what + " source")
    target = _check_id(link.target, what + " target")
    if source == target:
        raise ValueError(f"{what}: a member cannot be linked to itself ({source!r})")
    kind = _LINK_KIND.get(link.kind)
    if kind is None:
        raise ValueError(f"{what}: unknown kind {link.kind!r}")
    share = None if link.share is None else _real(link.share, what, "share", 0.0, 1.0)
    start = _date(link.start, what, "start")
    end = _date(link.end, what, "end")
    if start is not None and end is not None and end < start:
        raise ValueError(f"{what}: the end {end} is before the start {start}")
    volume = None if link.volume is None else _real(link.volume, what, "volume", 0.0, MAX_ROUBLES)
    return (
        lid,
        source,
        target,
        kind.value,
        start,
        share,
        check_text(link.notes, what, "notes"),
        end,
        volume,
        check_text(link.contract, what, "contract"),
    )


def member_row(m: Member) -> tuple[Any, ...]:
    """Like ``member_row_checked``, with an inline fast path for the common, valid case (bulk imports).

    The chained comparisons also reject NaN and infinities; anything unusual (ints as
    coordinates, str subclasses, dates, errors) takes the slow path, which normalises or explains.
    """
    if type(m) is Member:
        mid, name, employees, lat, lon = m.id, m.name, m.employees, m.lat, m.lon
        kind, status, industry = (
            _KIND_STR.get(m.kind),
            _STATUS_STR.get(m.status),
            _INDUSTRY_STR.get(m.industry),
        )
        output, organising = m.output, m.organising_production
        row = (
            mid, name, kind, status, m.sector, industry, employees, lat, lon,
            m.address, m.inn, m.website, m.contact, m.joined, m.left, m.notes,
            output, _TERRITORY_STR.get(m.special_territory), 1 if organising is True else 0,
        )  # fmt: skip
        if (
            type(mid) is str
            and 0 < len(mid) <= MAX_ID
            and type(name) is str
            and name.strip()
            and kind is not None
            and status is not None
            and industry is not None
            and (employees is None or (type(employees) is int and 0 <= employees <= _MAX_EMPLOYEES))
            and (
                (lat is None and lon is None)
                or (
                    type(lat) is float
                    and type(lon) is float
                    and -90.0 <= lat <= 90.0
                    and -180.0 <= lon <= 180.0
                )
            )
            and type(row[4]) is str
            and type(row[9]) is str
            and type(row[10]) is str
            and type(row[11]) is str
            and type(row[12]) is str
            and type(row[15]) is str
            and (row[13] is None or _is_date(row[13]))
            and (row[14] is None or _is_date(row[14]))
            and (output is None or (type(output) is float and 0.0 <= output <= MAX_ROUBLES))
            and row[17] is not None
            and type(organising) is bool
        ):
            return row
    return member_row_checked(m)


#: The members table's columns in order: the id, then the editable fields.
MEMBER_COLUMNS: tuple[str, ...] = ("id", *(f for f in MEMBER_ORDER if f != "id"))
_TEXT_COLUMNS = tuple(MEMBER_COLUMNS.index(c)
                      for c in ("sector", "address", "inn", "website", "contact", "notes"))


def member_columns_checked(columns: Sequence[Sequence[Any]]) -> list[Sequence[Any]]:
    """Validated member values a column at a time (table order, as ``member_row``'s tuples
    transposed): the columns to store, enums as their text and yes/no as 0/1. ValueError naming
    the first bad member, with ``member_row_checked``'s message.

    The bulk path of an import (a column of 100,000 values is checked in one pass of C, not a
    Python call per value). It takes exactly what ``member_row``'s fast path takes; anything
    else (ints as coordinates, str subclasses, a bad value) goes through ``member_row`` row by
    row, which normalises what it can and names what it cannot.
    """
    if len(columns) != len(MEMBER_COLUMNS):
        raise ValueError(f"expected {len(MEMBER_COLUMNS)} member columns, got {len(columns)}")
    (ids, names, kinds, statuses, _sectors, industries, employees, lats, lons, _address, _inn,
     _website, _contact, joined, left, _notes, outputs, territories, organising) = columns  # fmt: skip
    n = len(ids)
    if any(len(c) != n for c in columns):
        raise ValueError("member columns of different lengths")
    if not n:
        return [list(c) for c in columns]
    out = _fast_member_columns(columns, ids, names, kinds, statuses, industries, employees, lats, lons,
                               joined, left, outputs, territories, organising)
    if out is not None:
        return out
    rows = [member_row(Member(name, kind, status, mid, *rest))
            for mid, name, kind, status, *rest in zip(*columns, strict=True)]
    return [list(c) for c in zip(*rows, strict=True)]


#: Dates the column check found valid (a roster repeats a few thousand; bounded).
_GOOD_DATES: set[str] = set()


def _only(column: Sequence[Any], kind: type) -> bool:
    """Every value of exactly type ``kind``. Counting the types (compared by identity first) is
    ~40 % cheaper than collecting them in a set: a 100,000-member import checks ~13 columns."""
    types = list(map(type, column))
    return types.count(kind) == len(types)


_NONE_TYPE = type(None)


def _ints_or_none(values: Sequence[Any], lo: int, hi: int) -> bool:
    """Every value None or an exact int between lo and hi (types counted: no list of the others
    unless some are None)."""
    types = list(map(type, values))
    nones = types.count(_NONE_TYPE)
    if nones + types.count(int) != len(types):
        return False
    if nones == len(types):
        return True
    given = [v for v in values if v is not None] if nones else values
    return bool(lo <= min(given) and max(given) <= hi)


def _floats_or_none(values: Sequence[Any], lo: float, hi: float) -> np.ndarray | None:
    """Where ``values`` hold None (a bool array), if every other value is an exact float between
    lo and hi (NaN and infinities fail); None if not. numpy reads None as NaN, so a NaN among the
    floats shows as one NaN more than there are Nones."""
    types = list(map(type, values))
    nones = types.count(_NONE_TYPE)
    if nones + types.count(float) != len(types):
        return None
    a = np.array(values, dtype=np.float64)
    missing: np.ndarray = np.isnan(a)
    if int(np.count_nonzero(missing)) != nones:
        return None
    if nones:
        a = a[~missing]
    if not ((a >= lo) & (a <= hi)).all():
        return None
    return missing


def _fast_member_columns(columns: Sequence[Sequence[Any]], ids: Sequence[Any], names: Sequence[Any],
                         kinds: Sequence[Any], statuses: Sequence[Any], industries: Sequence[Any],
                         employees: Sequence[Any], lats: Sequence[Any], lons: Sequence[Any],
                         joined: Sequence[Any], left: Sequence[Any], outputs: Sequence[Any],
                         territories: Sequence[Any], organising: Sequence[Any]) -> list[Sequence[Any]] | None:
    """The checked columns, or None when a value needs ``member_row``'s row-by-row path."""
    if not _only(ids, str):
        return None
    lengths = list(map(len, ids))  # one pass of len() for both bounds
    if not (min(lengths) > 0 and max(lengths) <= MAX_ID):
        return None
    if not (_only(names, str) and all(map(str.strip, names))):
        return None
    mapped = []
    for column, table in ((kinds, _KIND_STR), (statuses, _STATUS_STR), (industries, _INDUSTRY_STR),
                          (territories, _TERRITORY_STR)):
        try:  # a value the table lacks fails here (no scan of the texts for a None afterwards)
            mapped.append(list(map(table.__getitem__, column)))
        except (KeyError, TypeError):
            return None
    if not all(_only(columns[i], str) for i in _TEXT_COLUMNS):
        return None
    if not _ints_or_none(employees, 0, _MAX_EMPLOYEES):
        return None
    # A column a pass of C each (types counted, numpy's NaN for None) instead of a list of its
    # Nones and one of its values per column (a 1,000,000-member import: ~0.3 s of CPU less).
    unlocated = _floats_or_none(lats, -90.0, 90.0)
    unlocated_too = _floats_or_none(lons, -180.0, 180.0)
    if unlocated is None or unlocated_too is None or not np.array_equal(unlocated, unlocated_too):
        return None
    if outputs.count(None) != len(outputs) and _floats_or_none(outputs, 0.0, MAX_ROUBLES) is None:
        return None
    dates = {*joined, *left}
    dates.discard(None)
    if not dates <= _GOOD_DATES:
        if not all(map(_is_date, dates)):
            return None
        if len(_GOOD_DATES) > 50_000:
            _GOOD_DATES.clear()
        _GOOD_DATES.update(dates)
    if not _only(organising, bool):
        return None
    kind_text, status_text, industry_text, territory_text = mapped
    out = list(columns)
    out[2], out[3], out[5], out[17] = kind_text, status_text, industry_text, territory_text
    out[18] = list(map(int, organising)) if True in organising else [0] * len(organising)
    return out


def link_row(link: Link) -> tuple[Any, ...]:
    """Like ``link_row_checked``, with an inline fast path for the common, valid case."""
    if type(link) is Link:
        lid, source, target, share, notes = link.id, link.source, link.target, link.share, link.notes
        start, end, volume, contract = link.start, link.end, link.volume, link.contract
        kind = _LINK_KIND_STR.get(link.kind)
        if (
            type(lid) is str
            and type(source) is str
            and type(target) is str
            and 0 < len(lid) <= MAX_ID
            and 0 < len(source) <= MAX_ID
            and 0 < len(target) <= MAX_ID
            and source != target
            and kind is not None
            and (start is None or _is_date(start))
            and (share is None or (type(share) is float and 0.0 <= share <= 1.0))
            and type(notes) is str
            and end is None
            and (volume is None or (type(volume) is float and 0.0 <= volume <= MAX_ROUBLES))
            and type(contract) is str
        ):
            return (lid, source, target, kind, start, share, notes, end, volume, contract)
    return link_row_checked(link)


def validate_settings(s: ClusterSettings) -> ClusterSettings:
    """``s`` with numbers normalised (ints where counts, floats elsewhere); ValueError if bad."""
    if not isinstance(s, ClusterSettings):
        raise ValueError(f"expected ClusterSettings, got {type(s).__name__}")
    what = "settings"
    name = check_text(s.name, what, "name")
    lat, lon = s.centre_lat, s.centre_lon
    if lat is None or lon is None:
        if lat is not None or lon is not None:
            raise ValueError("settings: give both centre latitude and longitude, or neither")
    else:
        lat = _real(lat, what, "centre latitude", -90.0, 90.0)
        lon = _real(lon, what, "centre longitude", -180.0, 180.0)
    radius = _real(s.radius_km, what, "radius_km", 0.0, _MAX_RADIUS_KM)
    if radius <= 0:
        raise ValueError(f"settings: radius_km must be positive, got {radius!r}")
    counts: dict[str, Any] = {}
    for key in ("mass_min", "mass_max", "registry_max_unlinked"):
        value = getattr(s, key)
        if type(value) is not int or not 0 <= value <= _MAX_EMPLOYEES:
            raise ValueError(f"settings: {key} must be a whole number of at least 0, got {value!r}")
        counts[key] = value
    if counts["mass_min"] > counts["mass_max"]:
        raise ValueError(
            f"settings: mass_min ({counts['mass_min']}) is above mass_max ({counts['mass_max']})"
        )
    shares: dict[str, Any] = {
        key: _real(getattr(s, key), what, key, 0.0, 1.0)
        for key in ("registry_share", "anchor_employment_share", "anchor_link_share", "hhi_concentrated",
                    "concentration_warning_share", "dependence_share", "scattered_top_share",
                    "scattered_core_share", "gap_min_coverage", "registry_special_share",
                    "registry_special_territory_share", "org_min_private_share")
    }
    if s.size_scheme not in ("209fz", "eu"):
        raise ValueError(f"settings: size_scheme must be '209fz' or 'eu', got {s.size_scheme!r}")
    shares["org_min_fte"] = _real(s.org_min_fte, what, "org_min_fte", 0.0, 1e6)
    recorded: dict[str, Any] = {
        "org_fte": None if s.org_fte is None else _real(s.org_fte, what, "org_fte", 0.0, 1e6),
        "org_fees": None if s.org_fees is None else _real(s.org_fees, what, "org_fees", 0.0, 1e15),
        "org_private_share": (None if s.org_private_share is None
                              else _real(s.org_private_share, what, "org_private_share", 0.0, 1.0)),
    }
    return replace(s, name=name, centre_lat=lat, centre_lon=lon, radius_km=radius, **counts, **shares,
                   **recorded)


def member_from_row(row: Sequence[Any]) -> Member:
    """A Member from table-order values (id, *MEMBER_FIELDS)."""
    (mid, name, kind, status, sector, industry, employees, lat, lon,
     address, inn, website, contact, joined, left, notes, output, territory, organising) = row  # fmt: skip
    return Member(
        name, _KIND[kind], _STATUS[status], mid, sector, _INDUSTRY[industry], employees, lat, lon,
        address, inn, website, contact, joined, left, notes, output, _TERRITORY[territory], bool(organising),
    )  # fmt: skip


def link_from_row(row: Sequence[Any]) -> Link:
    lid, source, target, kind, start, share, notes, end, volume, contract = row
    return Link(source, target, _LINK_KIND[kind], lid, start, share, notes, end, volume, contract)


# Bulk read path. 100k members + 300k links are built in one pass each; the frozen dataclasses'
# generated __init__ goes through object.__setattr__ per field, so we create the instance and fill
# its slots through the slot descriptors directly (about a third faster; same objects, compared
# equal to normally built ones in the tests). Falls back to __init__ should the model ever get a
# __post_init__ (validation we must not skip).
_FAST_BUILD = not hasattr(Member, "__post_init__") and not hasattr(Link, "__post_init__")


def build_members(rows: Iterable[Sequence[Any]]) -> list[Member]:
    kinds, statuses, industries, territories, cls = _KIND, _STATUS, _INDUSTRY, _TERRITORY, Member
    if not _FAST_BUILD:
        return [
            cls(name, kinds[kind], statuses[status], mid, sector, industries[industry], employees, lat, lon,
                address, inn, website, contact, joined, left, notes, output, territories[territory],
                bool(organising))
            for (name, kind, status, mid, sector, industry, employees, lat, lon,
                 address, inn, website, contact, joined, left, notes, output, territory, organising) in rows
        ]  # fmt: skip
    new = object.__new__
    (s_name, s_kind, s_status, s_id, s_sector, s_industry, s_employees, s_lat, s_lon,
     s_address, s_inn, s_website, s_contact, s_joined, s_left, s_notes,
     s_output, s_territory, s_organising) = _slot_setters(cls, MEMBER_ORDER)  # fmt: skip
    out: list[Member] = []
    append = out.append
    for (name, kind, status, mid, sector, industry, employees, lat, lon,
         address, inn, website, contact, joined, left, notes,
         output, territory, organising) in rows:  # fmt: skip
        m = new(cls)
        s_name(m, name)
        s_kind(m, kinds[kind])
        s_status(m, statuses[status])
        s_id(m, mid)
        s_sector(m, sector)
        s_industry(m, industries[industry])
        s_employees(m, employees)
        s_lat(m, lat)
        s_lon(m, lon)
        s_address(m, address)
        s_inn(m, inn)
        s_website(m, website)
        s_contact(m, contact)
        s_joined(m, joined)
        s_left(m, left)
        s_notes(m, notes)
        s_output(m, output)
        s_territory(m, territories[territory])
        s_organising(m, organising == 1)
        append(m)
    return out


def build_links(rows: Iterable[Sequence[Any]]) -> list[Link]:
    kinds, cls = _LINK_KIND, Link
    if not _FAST_BUILD:
        return [
            cls(source, target, kinds[kind], lid, start, share, notes, end, volume, contract)
            for (source, target, kind, lid, start, share, notes, end, volume, contract) in rows
        ]
    new = object.__new__
    (s_source, s_target, s_kind, s_id, s_start, s_share, s_notes,
     s_end, s_volume, s_contract) = _slot_setters(cls, LINK_ORDER)  # fmt: skip
    out: list[Link] = []
    append = out.append
    for source, target, kind, lid, start, share, notes, end, volume, contract in rows:
        li = new(cls)
        s_source(li, source)
        s_target(li, target)
        s_kind(li, kinds[kind])
        s_id(li, lid)
        s_start(li, start)
        s_share(li, share)
        s_notes(li, notes)
        s_end(li, end)
        s_volume(li, volume)
        s_contract(li, contract)
        append(li)
    return out


def _slot_setters(cls: type, names: Sequence[str]) -> list[Any]:
    return [cls.__dict__[name].__set__ for name in names]



# --------------------------------------------------------------------------- record <-> JSON


def dumps_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def settings_items(s: ClusterSettings) -> list[tuple[str, str]]:
    return [(f, dumps_value(getattr(s, f))) for f in SETTINGS_FIELDS]

