"""The passport's charts and map as drawn (matplotlib artists' extents after a draw): no legend over
the data (the growth chart's legend once covered the critical-mass band), no text off the figure
or on another text, axis numbers as the language writes them; and the page's header and tables
at roster sizes that once spilled over pages. Fast: no Qt, no printing (test_passport prints)."""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest

from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import ClusterSettings, Link, LinkKind, Member, MemberKind, Status
from cluster_desk.report import passport_data
from cluster_desk.report.basemap import map_figure
from cluster_desk.report.charts import CHARTS
from cluster_desk.report.data import RUSSIAN_FIRM_SIZES
from cluster_desk.report.html import MAX_ORGANISATIONS, build_html
from cluster_desk.text.passport_words import PassportWords

NBSP = "\u00a0"
NUMERIC = re.compile(r"[\d\s.,%\u00a0−-]+")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")  # the chart functions make figures through pyplot, which keeps them


@pytest.fixture(scope="module", params=["ru", "en"])
def demo(request):
    members, links, settings = demo_cluster()
    return passport_data(members, links, settings, lang=request.param, day="2024-12-31")


def _big(d):
    """The demo passport's charts with every yearly count a thousand times larger (a 100k-member
    cluster's axes) and its series over 14 years (rotated year labels)."""
    series = [dataclasses.replace(p, year=p.year - 4 + i, participants=p.participants * 1000,
                                  counted_firms=p.counted_firms * 1000, candidates=p.candidates * 1000,
                                  links=p.links * 1000)
              for i, p in enumerate([d.series[0]] * 4 + d.series)]
    return dataclasses.replace(d.charts, series=series)


def _drawn(fig):
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def _texts(fig, renderer):
    """Texts drawn: visible, not empty, and not the label of a tick outside the axis's view
    (matplotlib keeps those as visible texts but does not draw them)."""
    from matplotlib.text import Text

    undrawn = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            span = (hi - lo) * 1e-9
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                if not lo - span <= tick.get_loc() <= hi + span:
                    undrawn |= {id(tick.label1), id(tick.label2)}
    return [(t, t.get_window_extent(renderer)) for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and id(t) not in undrawn]


def _legends(fig):
    return [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend() is not None)]


def _overlap(a, b, tol=0.5):
    return a.x0 < b.x1 - tol and b.x0 < a.x1 - tol and a.y0 < b.y1 - tol and b.y0 < a.y1 - tol


def assert_laid_out(fig):
    """No legend over any plotting area; every text inside the figure and on no other text."""
    r = _drawn(fig)
    frame = fig.bbox
    areas = [ax.get_window_extent(r) for ax in fig.axes]
    for legend in _legends(fig):
        box = legend.get_window_extent(r)
        assert not any(_overlap(box, area) for area in areas), "a legend covers the data"
    texts = _texts(fig, r)
    for t, box in texts:
        assert box.x0 >= frame.x0 - 1 and box.x1 <= frame.x1 + 1, f"{t.get_text()!r} clipped left/right"
        assert box.y0 >= frame.y0 - 1 and box.y1 <= frame.y1 + 1, f"{t.get_text()!r} clipped top/bottom"
    drawn = {id(t) for t, _box in texts}
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = [t.get_text() for t in axis.get_ticklabels() if id(t) in drawn]
            assert len(labels) == len(set(labels)), f"repeated tick labels {labels}"
    for (a, abox), (b, bbox) in itertools.combinations(texts, 2):
        if a.get_rotation() and b.get_rotation():
            continue  # rotated year labels: their upright boxes touch, the letters do not
        assert not _overlap(abox, bbox), f"{a.get_text()!r} overlaps {b.get_text()!r}"


def test_growth_legend_is_off_the_critical_mass_band(demo):
    for d in (demo.charts, _big(demo)):
        fig = dict(CHARTS)["growth"](d, PassportWords(d.text))
        r = _drawn(fig)
        (ax,) = fig.axes
        bands = [p for p in ax.patches if p.get_label() == "_band"]
        assert len(bands) == 1
        band = bands[0].get_window_extent(r)
        for legend in _legends(fig):
            assert not _overlap(legend.get_window_extent(r), band)
        labels = [t.get_text() for legend in _legends(fig) for t in legend.get_texts()]
        assert any(t.endswith(f"{d.settings.mass_min}–{d.settings.mass_max}") for t in labels), labels


def _tiny(lang):
    """Two participants, no dates, no links, no codes: what a new project holds."""
    ms = [Member("Фирма", id="a", status=Status.MEMBER), Member("Власть", id="b", kind=MemberKind.AUTHORITY)]
    return passport_data(ms, [], ClusterSettings(name="Голый"), lang=lang)


@pytest.mark.parametrize("key", [k for k, _ in CHARTS])
def test_every_chart_is_laid_out(demo, key):
    draw = dict(CHARTS)[key]
    for d in (demo.charts, _big(demo)):
        fig = draw(d, PassportWords(d.text))
        assert fig is not None, key
        assert_laid_out(fig)
    tiny = _tiny(demo.lang)
    fig = draw(tiny.charts, PassportWords(tiny.text))
    assert (fig is None) == (key in ("growth", "network", "sectors", "sizes", "gaps")), key
    if fig is not None:
        assert_laid_out(fig)  # helix: one member per strand once labelled "0, 1, 1, 1, 1, 1"


def test_axis_numbers_are_written_as_the_language_writes_them(demo):
    d = _big(demo)
    ticks = []
    for key in ("growth", "network", "helix"):
        fig = dict(CHARTS)[key](d, PassportWords(d.text))
        r = _drawn(fig)
        ticks += [t.get_text() for t, _box in _texts(fig, r) if NUMERIC.fullmatch(t.get_text())]
    big = [t for t in ticks if len(re.sub(r"\D", "", t)) >= 5]
    assert big, ticks
    group = NBSP if d.lang == "ru" else ","
    assert all(group in t for t in big), big  # "80 000" / "80,000", never "80000"
    assert not any("e+" in t or "1e" in t for t in ticks), ticks  # no offset notation
    shares = [t for t in ticks if t.endswith("%")]
    assert shares, ticks  # the right axis of the links chart: shares as percent, not 0.2
    wrong_point = "." if d.lang == "ru" else ","
    assert not any(re.search(rf"\d{re.escape(wrong_point)}\d{{1,2}}(?!\d)", t) for t in ticks), ticks


def test_sector_chart_names_the_divisions(demo):
    fig = dict(CHARTS)["sectors"](demo.charts, PassportWords(demo.text))
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    expected = "29 Автотранспортные средства" if demo.lang == "ru" else "29 Motor vehicles and trailers"
    assert expected in labels, labels


def test_map_legend_speaks_the_language(demo):
    fig = map_figure(demo, PassportWords(demo.text))
    r = _drawn(fig)
    legend = fig.axes[0].get_legend()
    labels = [t.get_text() for t in legend.get_texts()]
    radius = next(t for t in labels if "200" in t)
    assert radius.endswith("200 км" if demo.lang == "ru" else "200 km"), radius
    assert legend.get_window_extent(r).x0 >= fig.axes[0].get_window_extent(r).x1  # beside the map
    # The region under the members: subject borders and names from the offline basemap.
    names = {t.get_text().replace("\n", " ") for t in fig.axes[0].texts}
    assert ("Республика Татарстан" if demo.lang == "ru" else "Tatarstan") in names, names
    assert len(fig.axes[0].collections) >= 5  # countries, water, rivers, borders, links (+ members)
    assert_laid_out(fig)  # region names on no other name, none cut by the frame


def test_map_outside_russia_has_no_regional_layer():
    ms = [Member(f"Firma {i}", id=f"m{i}", status=Status.MEMBER, lat=52.5 + i * 0.01, lon=13.4)
          for i in range(3)]
    d = passport_data(ms, [], ClusterSettings(name="Berlin"), lang="en")
    fig = map_figure(d, PassportWords(d.text))
    assert fig is not None and not fig.axes[0].texts
    assert_laid_out(fig)


def _crowd(n_orgs: int, n_far: int) -> tuple[list[Member], list[Link], ClusterSettings]:
    """Many cluster organisations and many firms far outside the circle."""
    ms = [Member(f"АНО «Центр {i}»", MemberKind.CLUSTER_ORG, Status.MEMBER, id=f"o{i}", lat=55.8, lon=49.1,
                 joined="2020-01-01") for i in range(n_orgs)]
    firm = {"kind": MemberKind.FIRM, "status": Status.MEMBER, "joined": "2021-01-01", "sector": "29.10"}
    ms += [Member(f"ООО «Далёкая {i}»", id=f"f{i}", lat=60.0 + i * 0.001, lon=30.0, employees=50, **firm)
           for i in range(n_far)]
    ms += [Member(f"ООО «Близкая {i}»", id=f"n{i}", lat=55.8, lon=49.1 + i * 1e-3, employees=60, **firm)
           for i in range(n_far * 3)]
    links = [Link(f"n{i}", f"n{i + 1}", LinkKind.SUPPLY, id=f"l{i}", start="2021-06-01")
             for i in range(n_far)]
    return ms, links, ClusterSettings(name="Толпа")


def test_header_and_tables_stay_short_with_many_names():
    d = passport_data(*_crowd(n_orgs=40, n_far=60), lang="ru")
    # Two groups 1,500 km apart: the smallest circle's centre lies between them, all are outside;
    # the check's details keep 200 names, the count is all 280.
    assert len(d.outside) == 200 and d.outside_count == 280
    html = build_html(d, {}, None)
    header = html.split('<p class="meta">')[1].split("</p>")[0]
    assert header.count("АНО «Центр") == MAX_ORGANISATIONS
    assert f"ещё {40 - MAX_ORGANISATIONS}" in header
    # The outside table: ten rows, then how many more there are (all of them, not the names kept).
    assert f"ещё {d.outside_count - 10}" in html


def test_size_chart_counts_firms_only(demo):
    """Size classes are for firms: a university or a ministry with thousands of staff is not a
    "large" bar, and the chart says what it counts (issue 14)."""
    firm = {"kind": MemberKind.FIRM, "status": Status.MEMBER, "joined": "2020-01-01"}
    ms = [Member("ООО «Малая 1»", id="s1", employees=12, **firm),
          Member("ООО «Малая 2»", id="s2", employees=90, **firm),
          Member("ПАО «Большая»", id="l1", employees=4000, **firm),
          Member("ООО «Неизвестная»", id="u1", **firm)]
    ms += [Member(f"Университет {i}", MemberKind.EDUCATION, Status.MEMBER, id=f"e{i}", employees=9000,
                  joined="2020-01-01") for i in range(5)]
    ms += [Member("Министерство", MemberKind.AUTHORITY, Status.MEMBER, id="a1", employees=700,
                  joined="2020-01-01")]
    d = passport_data(ms, [], ClusterSettings(name="Фирмы"), lang=demo.lang)
    sizes = d.charts.sizes
    assert (sizes.known, sizes.unknown) == (3, 1)
    assert sizes.shares == pytest.approx({"small": 2 / 3, "medium": 0.0, "large": 1 / 3})
    assert sum(RUSSIAN_FIRM_SIZES.values()) == pytest.approx(1.0)
    assert RUSSIAN_FIRM_SIZES["small"] == pytest.approx(0.40 / 0.72)  # DOMAIN.md: 40 % of all members
    w = PassportWords(d.text)
    fig = dict(CHARTS)["sizes"](d.charts, w)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == [w.size(f"{k}_class") for k in ("small", "medium", "large")]
    assert not any(w.kind(k) in " ".join(labels) for k in ("education", "authority"))
    note = " ".join(t.get_text().replace("\n", " ") for t in fig.texts[1:])
    assert note == w.firm_sizes_note(3, 1)
    shown = [t.get_text() for t in fig.axes[0].texts]  # each bar's share, as the language writes it
    assert d.text.percent(2 / 3) in shown and d.text.percent(RUSSIAN_FIRM_SIZES["large"]) in shown
    assert_laid_out(fig)
    # No firm at all: nothing to draw, and the passport says why.
    d = passport_data(ms[4:], [], ClusterSettings(name="Без фирм"), lang=demo.lang)
    assert dict(CHARTS)["sizes"](d.charts, w) is None and "no_firms" in d.missing
