"""Rules 1 and 2 of DOMAIN.md: critical mass (counted firms inside the norm circle) and geographic
concentration (share of located participants within the norm radius, the smallest circles).

The norm radius is ``settings.radius_km`` (OECD 200 km by default). The smallest circle holding
all located participants, and the one holding 90 % of them, are figures of the check and what Fit
Smallest Circle shows; they never replace the norm. Without a centre in the settings, the centre
is the smallest circle's (DOMAIN.md), not the cluster organisation's address.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from cluster_desk.core.check_facts import (
    KEEP_NAMES,
    CheckResult,
    CheckStatus,
    ConcentrationFacts,
    CriticalMassFacts,
    first_names,
)
from cluster_desk.core.checks.context import (
    FIRM,
    INDUSTRY_NONE,
    Arrays,
    BoolArray,
    FloatArray,
    IntArray,
)
from cluster_desk.core.checks.settings_use import uses
from cluster_desk.core.geodesy import distances_km, distances_km_beyond, smallest_circle, unit_vectors
from cluster_desk.core.geodesy import smallest_circles as circle_pair
from cluster_desk.core.model import ClusterSettings

Circle = tuple[float, float, float]  # lat, lon, radius_km
_CIRCLE_CACHE: OrderedDict[bytes, tuple[Circle, Circle]] = OrderedDict()
_CACHE_SIZE = 8
_CACHE_LOCK = threading.Lock()


@dataclass
class _LastCircles:
    lat: FloatArray
    lon: FloatArray
    circles: tuple[Circle, Circle]


_last: list[_LastCircles] = []  # the last computed points and circles (one entry)
#: A moved point this far inside both circles (km) leaves them as they were.
_INSIDE_MARGIN_KM = 0.5


def _moved_within(prev: _LastCircles, lat: FloatArray, lon: FloatArray) -> bool:
    """True when the points differ from the last ones only by a few moved without crossing
    either circle: then neither changes. A point strictly inside the smallest enclosing circle,
    before and after, does not support it; the 90 % circle keeps the same points inside it when
    each moved point stays inside it, or stays outside it (a member dragged among the far 10 %)."""
    if prev.lat.shape != lat.shape:
        return False
    changed = np.flatnonzero((prev.lat != lat) | (prev.lon != lon))
    if changed.size == 0:
        return True
    if changed.size > 16:
        return False
    (f_lat, f_lon, f_radius), (n_lat, n_lon, n_radius) = prev.circles
    before = (prev.lat[changed], prev.lon[changed])
    after = (lat[changed], lon[changed])
    for la, lo in (before, after):
        if not np.all(distances_km(f_lat, f_lon, la, lo) < f_radius - _INSIDE_MARGIN_KM):
            return False
    d0 = distances_km(n_lat, n_lon, *before)
    d1 = distances_km(n_lat, n_lon, *after)
    inside = (d0 < n_radius - _INSIDE_MARGIN_KM) & (d1 < n_radius - _INSIDE_MARGIN_KM)
    outside = (d0 > n_radius + _INSIDE_MARGIN_KM) & (d1 > n_radius + _INSIDE_MARGIN_KM)
    return bool(np.all(inside | outside))


@dataclass
class _LastDistances:
    centre: tuple[float, float]
    radius_km: float
    lat: FloatArray
    lon: FloatArray
    dist: FloatArray
    farthest: int
    #: Which of ``dist`` are exact geodesic distances (the others: spherical estimates).
    exact: BoolArray


_last_dist: list[_LastDistances] = []  # the last distances from the centre (one entry)


def _distances(centre: tuple[float, float], radius_km: float, lat: FloatArray, lon: FloatArray,
               vectors: FloatArray | None = None) -> FloatArray:
    """distances_km_beyond from the centre, updated only where points moved when the centre,
    the radius and the points are the last ones but for a few moved (a drag): exact for the
    moved ones, so ``<= radius`` still classifies every point exactly. The farthest point moving
    recomputes all (the next farthest may hold only an estimate). ``vectors``: the points' unit
    vectors if the circles made them (distances_km_beyond's estimates by the chord)."""
    prev = _last_dist[0] if _last_dist else None
    dist: FloatArray | None = None
    same = prev is not None and (prev.centre, prev.radius_km) == (centre, radius_km)
    if prev is not None and same and prev.lat.shape == lat.shape:
        changed = np.flatnonzero((prev.lat != lat) | (prev.lon != lon))
        if changed.size <= 16 and not np.any(changed == prev.farthest):
            dist, exact = prev.dist.copy(), prev.exact.copy()
            dist[changed] = distances_km(centre[0], centre[1], lat[changed], lon[changed])
            exact[changed] = True
    if dist is None:
        dist, exact = distances_km_beyond(centre[0], centre[1], lat, lon, radius_km, vectors)
    far = int(np.argmax(dist)) if dist.size else -1
    _last_dist[:] = [_LastDistances(centre, radius_km, *_kept_points(lat, lon), dist, far, exact)]
    return dist.copy()


def exact_distances(centre: tuple[float, float], lat: FloatArray,
                    lon: FloatArray) -> tuple[FloatArray, BoolArray] | None:
    """The distances ``locate`` last measured from ``centre`` to these very points, and which of
    them are exact geodesic distances (core.geodesy.distances_km's values, bit for bit: the roster's
    distance to every member takes those instead of measuring them again, issue 17); None when it
    last measured other points or from another centre. The arrays returned are not to be changed."""
    last = _last_dist[0] if _last_dist else None
    if (last is None or last.centre != centre or not np.array_equal(last.lat, lat)
            or not np.array_equal(last.lon, lon)):
        return None
    return last.dist, last.exact


def _kept_points(lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Copies of the points to keep, or the circles' kept copies when they are the same points
    (locate asks for the circles, then the distances, of the same points: issue 17, a million
    points kept once, not twice). Kept copies are never changed."""
    with _CACHE_LOCK:
        last = _last[0] if _last else None
    if last is not None and np.array_equal(last.lat, lat) and np.array_equal(last.lon, lon):
        return last.lat, last.lon
    return lat.copy(), lon.copy()


def _points_key(lat: FloatArray, lon: FloatArray) -> bytes:
    """blake2b of the points' bytes, fed a column at a time (the digest of their concatenation,
    without the three copies of it that ``tobytes() + tobytes()`` made)."""
    key = hashlib.blake2b(digest_size=16)
    for column in (lat, lon):
        key.update(np.ascontiguousarray(column).data)
    return key.digest()


class _Vectors:
    """The located participants' unit vectors (core.geodesy.unit_vectors), made when the circles
    are computed and then taken by the distances' estimates (issue 17: made once, not twice; the
    haversine's sines of 700,000 points cost ~20 ms more than the chord). None until made."""

    __slots__ = ("lat", "lon", "made")

    def __init__(self, lat: FloatArray, lon: FloatArray) -> None:
        self.lat, self.lon = lat, lon
        self.made: FloatArray | None = None

    def __call__(self) -> FloatArray:
        if self.made is None:
            self.made = unit_vectors(self.lat, self.lon)
        return self.made


def smallest_circles(lat: FloatArray, lon: FloatArray,
                     vectors: _Vectors | None = None) -> tuple[Circle, Circle]:
    """The smallest circle holding all the points and the one holding 90 % of them. Cached on
    the points; a drag that keeps the moved member well inside both circles reuses them.
    ``vectors``: the points' unit vectors, made here only if the circles are computed."""
    key = _points_key(lat, lon)
    with _CACHE_LOCK:  # the session's worker thread and the GUI thread (Plan tab) both come here
        hit = _CIRCLE_CACHE.get(key)
        last = _last[0] if _last else None
    if hit is None and last is not None and _moved_within(last, lat, lon):
        hit = last.circles
    if hit is None:
        if lat.size < 10:
            hit = (smallest_circle(lat, lon),) * 2
        else:
            hit = circle_pair(lat, lon, 0.9, None if vectors is None else vectors())
    with _CACHE_LOCK:
        _CIRCLE_CACHE[key] = hit
        _CIRCLE_CACHE.move_to_end(key)
        if len(_CIRCLE_CACHE) > _CACHE_SIZE:
            _CIRCLE_CACHE.popitem(last=False)
        _last[:] = [_LastCircles(lat.copy(), lon.copy(), hit)]
    return hit


def smallest_circle_of(lat: FloatArray, lon: FloatArray) -> Circle:
    """The smallest circle holding all the points (``smallest_circles``' first) without the 90 %
    one: from the cache when an assessment of these points made it, else computed alone. The
    cache is left as it is (a passport's past years would push the present's circles out)."""
    key = _points_key(lat, lon)
    with _CACHE_LOCK:
        hit = _CIRCLE_CACHE.get(key)
    return hit[0] if hit is not None else smallest_circle(lat, lon)


def known_circles() -> list[list[Any]]:
    """The circles computed in this process as [key of the points (hex), smallest circle, 90 %
    circle]: what a cache outliving the process keeps (store.arrays_cache, beside the arrays), so
    the first assessment of a warm open does not compute them again (~0.3 s at 100,000 points)."""
    with _CACHE_LOCK:
        return [[key.hex(), list(full), list(ninety)] for key, (full, ninety) in _CIRCLE_CACHE.items()]


def remember_circles(entries: Any) -> None:
    """Take circles that ``known_circles`` gave in an earlier process: the points of a key get
    these circles without a computation. Entries that are not [hex key, 3 finite numbers, 3 finite
    numbers] are left out (a cache file is never trusted further than its shape)."""
    good: list[tuple[bytes, tuple[Circle, Circle]]] = []
    for entry in entries if isinstance(entries, list) else ():
        try:
            key_hex, full, ninety = entry
            if not (isinstance(full, list) and isinstance(ninety, list)):
                continue
            key = bytes.fromhex(key_hex)
            circles = tuple(tuple(float(v) for v in c) for c in (full, ninety))
        except (TypeError, ValueError):
            continue
        if len(key) == 16 and all(len(c) == 3 and all(math.isfinite(v) for v in c) for c in circles):
            good.append((key, circles))  # type: ignore[arg-type]
    with _CACHE_LOCK:
        for key, circles in good[-_CACHE_SIZE:]:
            _CIRCLE_CACHE.setdefault(key, circles)
            _CIRCLE_CACHE.move_to_end(key)
        while len(_CIRCLE_CACHE) > _CACHE_SIZE:
            _CIRCLE_CACHE.popitem(last=False)


@dataclass(frozen=True)
class Geography:
    """Where participants lie relative to the norm circle (rows index Arrays.members)."""

    centre: tuple[float, float] | None
    centre_source: Literal["settings", "members"] | None
    points: IntArray  # located local participants
    dist: FloatArray  # their distance from the centre (exact beyond the radius)
    inside: BoolArray  # per member row: located and within the norm radius of the centre
    smallest: Circle | None
    smallest90: Circle | None


def locate(a: Arrays, part: BoolArray, s: ClusterSettings, extra: IntArray | None = None) -> Geography:
    """Distances of the located local participants (and of ``extra`` rows, e.g. candidates)."""
    points = np.flatnonzero(part & a.located & a.local)
    # Gathered once for the circles and the distances (np.take: fancy indexing's values, faster).
    lat, lon = np.take(a.lat, points), np.take(a.lon, points)
    smallest = smallest90 = None
    vectors = _Vectors(lat, lon)
    if points.size:
        smallest, smallest90 = smallest_circles(lat, lon, vectors)
    centre: tuple[float, float] | None = None
    source: Literal["settings", "members"] | None = None
    if s.centre_lat is not None and s.centre_lon is not None:
        centre, source = (float(s.centre_lat), float(s.centre_lon)), "settings"
    elif smallest is not None:
        centre, source = (smallest[0], smallest[1]), "members"
    inside = np.zeros(len(a.members), dtype=np.bool_)
    dist = np.zeros(0, dtype=np.float64)
    if centre is not None:
        dist = _distances(centre, float(s.radius_km), lat, lon, vectors.made)
        del vectors  # (a million members' 17 MB, not held while the rest runs)
        inside[points] = dist <= s.radius_km
        if extra is not None and extra.size:
            more = extra[a.located[extra] & ~inside[extra]]
            more = more[~np.isin(more, points)] if more.size else more
            if more.size:
                d_more, _ = distances_km_beyond(centre[0], centre[1], a.lat[more], a.lon[more], s.radius_km)
                inside[more] = d_more <= s.radius_km
    return Geography(centre, source, points, dist, inside, smallest, smallest90)


def critical_mass(a: Arrays, part: BoolArray, s: ClusterSettings, g: Geography) -> CheckResult:
    firms = part & (a.kind == FIRM)
    classified = a.industry != INDUSTRY_NONE
    counted = firms & classified & g.inside
    names = a.names
    counted_rows = np.flatnonzero(counted)
    unclassified = np.flatnonzero(firms & ~classified)
    outside = np.flatnonzero(firms & classified & a.located & ~g.inside)
    unlocated = np.flatnonzero(firms & classified & ~a.located)
    cand = (a.status == 1) & ~part & (a.kind == FIRM) & classified & g.inside
    offered = np.flatnonzero(cand)
    n = int(counted_rows.size)
    divs = a.division[counted_rows]
    short = max(0, s.mass_min - n)
    facts = CriticalMassFacts(
        branch="below" if n < s.mass_min else "above" if n > s.mass_max else "within",
        counted=n,
        core=int(np.count_nonzero(a.industry[counted_rows] == 0)),
        related=int(np.count_nonzero(a.industry[counted_rows] == 1)),
        divisions=int(np.unique(divs[divs >= 0]).size),
        unclassified=first_names(names, unclassified),
        outside=first_names(names, outside),
        unlocated=first_names(names, unlocated),
        offered=first_names(names, offered),
        radius_km=s.radius_km,
        mass_min=s.mass_min,
        mass_max=s.mass_max,
        short=short,
        short_after=max(0, short - int(offered.size)),
    )
    about = (
        np.concatenate((offered, unclassified, outside, unlocated))
        if short
        else np.concatenate((unclassified, outside, unlocated))
    )
    ids = tuple(a.ids_of(about))
    status = CheckStatus.FAILING if short else CheckStatus.OK
    return CheckResult("critical_mass", status, n, facts, ids, uses(s, "mass_min", "mass_max", "radius_km"))


def counted_firms(a: Arrays, part: BoolArray, s: ClusterSettings) -> int:
    """``critical_mass``'s figure alone: participant firms of the core or related industries
    within the norm radius of the centre (the settings' or the smallest circle's). No names, no
    candidates, no 90 % circle: the passport's yearly series needs this one number per year-end,
    and a whole assessment per year cost ~0.2 s each at 100,000 members (issue 17)."""
    points = part & a.located & a.local  # what locate() measures from the centre
    if s.centre_lat is not None and s.centre_lon is not None:
        lat0, lon0 = float(s.centre_lat), float(s.centre_lon)
    elif points.any():
        rows = np.flatnonzero(points)
        lat0, lon0, _radius = smallest_circle_of(a.lat[rows], a.lon[rows])
    else:
        return 0
    firms = np.flatnonzero(points & (a.kind == FIRM) & (a.industry != INDUSTRY_NONE))
    if not firms.size:
        return 0
    # Exact at and beyond the radius, so "<=" counts exactly as locate's distances do.
    dist, _ = distances_km_beyond(lat0, lon0, a.lat[firms], a.lon[firms], float(s.radius_km))
    return int(np.count_nonzero(dist <= s.radius_km))


def farthest_first(d: FloatArray) -> IntArray:
    """``np.argsort(-d, kind="stable")`` (no NaN in ``d``): numpy's default argsort, ~2x faster
    (~20,000 members outside the radius at 100,000), when no two values are equal (the order is
    then the only one there is); else the stable sort, which orders the equal ones by position."""
    order: IntArray = np.argsort(-d)
    ranked = d[order]
    if bool(np.any(ranked[1:] == ranked[:-1])):
        return np.argsort(-d, kind="stable")
    return order


def concentration(a: Arrays, part: BoolArray, s: ClusterSettings, g: Geography) -> CheckResult:
    unlocated = int(np.count_nonzero(part & ~a.located & a.local))
    external = int(np.count_nonzero(part & ~a.local))
    used = uses(s, "radius_km", "concentration_warning_share")
    if g.centre is None or g.points.size == 0:
        facts = ConcentrationFacts(
            "unplaced", s.radius_km, s.concentration_warning_share, unlocated, external
        )
        return CheckResult("concentration", CheckStatus.NA, None, facts, (), used)
    dist = g.dist
    out_pos = np.flatnonzero(dist > s.radius_km)
    out_pos = out_pos[farthest_first(dist[out_pos])]
    out_rows = g.points[out_pos]
    n_loc = int(g.points.size)
    n_out = int(out_rows.size)
    share_in = (n_loc - n_out) / n_loc
    branch: Literal["all_inside", "few_outside", "many_outside"]
    if n_out == 0:
        status, branch = CheckStatus.OK, "all_inside"
    elif share_in >= s.concentration_warning_share:
        status, branch = CheckStatus.WARNING, "few_outside"
    else:
        status, branch = CheckStatus.FAILING, "many_outside"
    facts = ConcentrationFacts(
        branch,
        s.radius_km,
        s.concentration_warning_share,
        unlocated,
        external,
        outside=first_names(a.names, out_rows),
        outside_km=tuple(round(float(d), 3) for d in dist[out_pos[:KEEP_NAMES]]),
        inside_count=n_loc - n_out,
        located_count=n_loc,
        inside_share=share_in,
        max_km=float(dist.max()),
        centre=g.centre,
        centre_source=g.centre_source,
        smallest=g.smallest,
        smallest90=g.smallest90,
    )
    ids = tuple(a.ids_of(out_rows))
    return CheckResult("concentration", status, round(share_in, 6), facts, ids, used, member_rows=out_rows)
