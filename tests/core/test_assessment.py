"""The eight checks of DOMAIN.md "Checks, rule by rule", each on a small roster with the verdict a
cluster expert expects (the cases of issue 13), and their JSON as scripts read it."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from check_rosters import KAZAN, link, m

from cluster_desk.core.assessment import CheckResult, CheckStatus, assess, effective_centre
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.geodesy import smallest_circle
from cluster_desk.core.model import (
    ClusterSettings,
    Industry,
    Link,
    LinkKind,
    Member,
    MemberKind,
    SizeClass,
    SpecialTerritory,
    Status,
    size_class,
)
from cluster_desk.text import text_for
from cluster_desk.text.checks import check_json, render_check

EN = text_for("en")
DAY = "2026-06-01"
K = MemberKind


def check(
    members: list[Member], links: list[Link], cid: str, settings: ClusterSettings | None = None, **kw: Any
) -> CheckResult:
    s = settings or ClusterSettings(centre_lat=KAZAN[0], centre_lon=KAZAN[1], mass_min=5, mass_max=10)
    return next(r for r in assess(members, links, s, on=kw.pop("on", DAY), **kw) if r.id == cid)


def firms(n: int, **kw: Any) -> list[Member]:
    return [m(f"F{i}", K.FIRM, az=i * 7.0, **kw) for i in range(n)]


# --- participants on the day ------------------------------------------------------------------------


def test_participants_on_the_day_joined_left_candidates_former() -> None:
    ms = [
        m("early", industry=Industry.CORE, joined="2020-01-01"),
        m("undated", industry=Industry.CORE),
        m("later", industry=Industry.CORE, joined="2027-01-01"),
        m("left", industry=Industry.CORE, status=Status.FORMER, joined="2020-01-01", left="2026-12-31"),
        m("gone", industry=Industry.CORE, status=Status.FORMER, joined="2020-01-01", left="2026-01-01"),
        m("cand", industry=Industry.CORE, status=Status.CANDIDATE),
    ]
    r = check(ms, [], "critical_mass")
    assert r.value == 3  # early, undated, and the former member who had not left yet on the day
    assert "cand" in r.facts.offered  # type: ignore[union-attr]


def test_links_count_when_started_and_not_ended() -> None:
    ms = [m("A"), m("R", K.RESEARCH)]
    links = [link("A", "R", LinkKind.RND, start="2027-01-01"), link("A", "R", LinkKind.RND, end="2026-01-01")]
    assert check(ms, links, "links").facts.link_count == 0  # type: ignore[union-attr]
    assert check(ms, links, "links", on="2025-06-01").facts.link_count == 1  # type: ignore[union-attr]


# --- 1. critical mass ----------------------------------------------------------------------------


def test_unclassified_firms_in_unrelated_divisions_do_not_pass() -> None:
    """Issue: 120 firms in 40 unrelated divisions passed. With no industry set they do not count."""
    ms = [m(f"F{i}", sector=f"{10 + i % 40}.1", az=i * 3.0, km=20.0) for i in range(120)]
    r = check(ms, [], "critical_mass", ClusterSettings(centre_lat=KAZAN[0], centre_lon=KAZAN[1]))
    assert r.status is CheckStatus.FAILING and r.value == 0
    assert len(r.facts.unclassified) == 120  # type: ignore[union-attr]


def test_remedy_offers_only_candidates_that_would_count() -> None:
    ms = [
        *firms(3, industry=Industry.CORE),
        m("far", status=Status.CANDIDATE, industry=Industry.CORE, km=220.0),
        m("near", status=Status.CANDIDATE, industry=Industry.RELATED, km=50.0),
        m("unclassified", status=Status.CANDIDATE, km=50.0),
    ]
    r = check(ms, [], "critical_mass")
    f = r.facts
    assert r.status is CheckStatus.FAILING and f.offered == ("near",)  # type: ignore[union-attr]
    assert f.short == 2 and f.short_after == 1  # type: ignore[union-attr]
    said = render_check(r, EN).remedy
    assert "near" in said and "far" not in said and "1 short" in said


def test_firms_outside_the_circle_or_unlocated_are_listed_apart() -> None:
    ms = [
        *firms(5, industry=Industry.CORE, sector="29.1"),
        m("out", industry=Industry.CORE, km=300.0),
        m("nowhere", industry=Industry.RELATED, placed=False, sector="22.1"),
    ]
    r = check(ms, [], "critical_mass")
    assert r.value == 5 and r.status is CheckStatus.OK
    assert r.facts.outside == ("out",) and r.facts.unlocated == ("nowhere",)  # type: ignore[union-attr]
    assert r.facts.divisions == 1  # type: ignore[union-attr]


# --- 2. concentration --------------------------------------------------------------------------------


def test_a_wide_radius_says_it_is_a_project_setting() -> None:
    ms = [m("A"), m("B", km=1400.0)]
    s = ClusterSettings(centre_lat=KAZAN[0], centre_lon=KAZAN[1], radius_km=1500.0)
    r = check(ms, [], "concentration", s)
    assert r.status is CheckStatus.OK
    source = render_check(r, EN).source
    assert "Project setting" in source and "1,500 km" in source and "default 200 km" in source


def test_smallest_circles_are_figures_never_the_norm() -> None:
    ms = [m(f"M{i}", az=i * 36.0, km=20.0 + 21.0 * i) for i in range(10)]
    r = check(ms, [], "concentration", ClusterSettings(centre_lat=KAZAN[0], centre_lon=KAZAN[1]))
    f = r.facts
    assert f.radius_km == 200.0  # type: ignore[union-attr]
    assert f.smallest is not None and f.smallest90 is not None  # type: ignore[union-attr]
    assert f.smallest90[2] < f.smallest[2]  # type: ignore[union-attr]
    assert r.status is CheckStatus.WARNING  # 1 of 10 beyond 200 km: 90 % inside


def test_without_a_centre_it_is_the_smallest_circles_not_the_cluster_organisations() -> None:
    ms = [m("A", az=90.0, km=100.0), m("B", az=270.0, km=100.0), m("Org", K.CLUSTER_ORG, az=90.0, km=100.0)]
    s = ClusterSettings()
    centre = effective_centre(ms, s, on=DAY)
    lat, lon, _ = smallest_circle([x.lat for x in ms], [x.lon for x in ms])
    assert centre is not None and centre == pytest.approx((lat, lon), abs=1e-6)
    assert check(ms, [], "concentration", s).facts.centre_source == "members"  # type: ignore[union-attr]


# --- 3. triple helix ---------------------------------------------------------------------------------


def test_helix_with_untied_authority_and_university_is_nominal() -> None:
    ms = [m("F"), m("Gov", K.AUTHORITY), m("Uni", K.EDUCATION)]
    r = check(ms, [], "helix")
    assert r.status is CheckStatus.WARNING and r.facts.branch == "nominal"
    assert r.details["missing_ties"] == ["business-government", "business-science", "government-science"]
    links = [link("F", "Gov", LinkKind.GOVERNMENT), link("F", "Uni", LinkKind.EDUCATION), link("Gov", "Uni")]
    assert check(ms, links, "helix").status is CheckStatus.OK


def test_helix_without_a_strand_fails() -> None:
    r = check([m("F"), m("Uni", K.EDUCATION)], [], "helix")
    assert r.status is CheckStatus.FAILING and r.details["missing"] == ["government"]


# --- 4. cluster organisation -----------------------------------------------------------------------


def test_cluster_org_recorded_staff_below_the_threshold_warns() -> None:
    ms = [m("Org", K.CLUSTER_ORG)]
    s = ClusterSettings(org_fte=0.3)
    r = check(ms, [], "cluster_org", s)
    assert r.status is CheckStatus.WARNING and r.details["below"] == ["fte"]
    assert "fees" in r.details["unrecorded"]
    assert check([m("F")], [], "cluster_org").status is CheckStatus.FAILING


# --- 5. focal model -----------------------------------------------------------------------------------


def test_sme_suppliers_dependent_on_one_anchor_are_focal_whatever_its_head_count() -> None:
    """Issue: 92 of 93 supplying firms sell to the anchor; the check said ok once the anchor's
    head count dipped."""
    smes = [m(f"S{i}", employees=40, az=i * 3.0) for i in range(93)]
    anchor = m("Anchor", employees=45)
    links = [link(f"S{i}", "Anchor", LinkKind.SUPPLY) for i in range(92)]
    links += [link("S92", "S0", LinkKind.SUPPLY), link("S92", "S1", LinkKind.SUPPLY)]  # sells to two
    r = check([anchor, *smes], links, "focal")
    assert r.status is CheckStatus.WARNING and "c" in r.facts.flagged  # type: ignore[union-attr]
    assert r.facts.anchors == ("Anchor",) and r.facts.dependent_smes == 92  # type: ignore[union-attr]


def test_a_university_can_be_the_anchor() -> None:
    ms = [m("Uni", K.EDUCATION), *firms(8, employees=50)]
    links = [link(f"F{i}", "Uni", LinkKind.RND) for i in range(8)]
    r = check(ms, links, "focal")
    assert r.status is CheckStatus.WARNING and r.facts.anchors == ("Uni",)  # type: ignore[union-attr]


def test_bypass_is_shown() -> None:
    ms = firms(6, employees=50)
    links = [link("F0", "F1", LinkKind.JOINT_PROJECT), link("F2", "F3"), link("F4", "F5"), link("F0", "F2")]
    r = check(ms, links, "focal")
    assert r.facts.bypass == 1.0 and r.status is CheckStatus.OK  # type: ignore[union-attr]


# --- 6. specialisation ------------------------------------------------------------------------------


def test_demo_is_narrow_by_employment_though_diverse_by_count() -> None:
    members, links, settings = demo_cluster()
    r = next(x for x in assess(members, links, settings) if x.id == "specialisation")
    f = r.facts
    assert f.hhi_count == pytest.approx(0.19, abs=0.01)  # type: ignore[union-attr]
    assert f.hhi_employment == pytest.approx(0.56, abs=0.01)  # type: ignore[union-attr]
    assert r.status is CheckStatus.WARNING and f.branch == "narrow"


def test_a_motley_cluster_is_scattered() -> None:
    ms = [m(f"F{i}", sector=f"{10 + i}.1", employees=100, industry=Industry.RELATED) for i in range(12)]
    r = check(ms, [], "specialisation")
    assert r.status is CheckStatus.WARNING and r.facts.branch == "scattered"


def test_a_balanced_mix_passes() -> None:
    codes = ["29.1"] * 3 + ["22.1", "27.1", "25.6", "28.1", "24.1", "20.1"]
    ms = [
        m(f"F{i}", sector=c, employees=100, industry=Industry.CORE if c == "29.1" else Industry.RELATED)
        for i, c in enumerate(codes)
    ]
    assert check(ms, [], "specialisation").status is CheckStatus.OK


# --- 7. links and gaps ---------------------------------------------------------------------------


def _gap_roster(n_firms: int) -> tuple[list[Member], list[Link]]:
    others = [
        m("R", K.RESEARCH),
        m("E", K.EDUCATION),
        m("Fin", K.FINANCE),
        m("Gov", K.AUTHORITY),
        m("Abroad", K.FOREIGN_PARTNER, placed=False),
        m("PC", K.PARTNER_CLUSTER, placed=False),
    ]
    links = [link("F0", x) for x in ("R", "E", "Fin", "Gov", "Abroad", "PC")]
    links.append(link("F0", "F1", LinkKind.RND))
    return [*firms(n_firms), *others], links


def test_one_firm_with_seven_links_does_not_close_every_gap() -> None:
    ms, links = _gap_roster(30)  # F0 covers 1 of 30 firms (3 %), F1 the business-business pair
    r = check(ms, links, "links")
    open_gaps = r.details["open_gaps"]
    assert set(open_gaps) == {
        "business_science",
        "business_education",
        "business_finance",
        "business_authorities",
        "business_business",
    }
    assert r.details["gaps"]["business_global_markets"]["open"] is False  # one link is enough there
    assert r.details["gaps"]["business_science"]["coverage"] == pytest.approx(1 / 30)


def test_supply_chains_are_not_business_business_cooperation() -> None:
    ms = firms(4)
    supply = [link("F0", "F1", LinkKind.SUPPLY), link("F2", "F3", LinkKind.PRODUCTION_SERVICES)]
    assert "business_business" in check(ms, supply, "links").details["open_gaps"]
    joint = [link("F0", "F1", LinkKind.JOINT_PROJECT)]
    assert "business_business" not in check(ms, joint, "links").details["open_gaps"]


def test_gap_trend_a_year_earlier() -> None:
    ms = [*firms(2), m("R", K.RESEARCH)]
    links = [
        link("F0", "R", LinkKind.RND, start="2026-01-01"),
        link("F1", "R", LinkKind.RND, start="2024-01-01"),
    ]
    g = check(ms, links, "links").details["gaps"]["business_science"]
    assert g["coverage"] == 1.0 and g["coverage_year_ago"] == 0.5


# --- 8. registry ---------------------------------------------------------------------------------


def _registry_roster(**kw: Any) -> tuple[list[Member], list[Link]]:
    ms = [
        m("A", output=100.0, inn="1"),
        m("B", output=100.0),
        m("C", output=200.0),
        m("Abroad", K.FOREIGN_PARTNER, placed=False),
        m("Org", K.CLUSTER_ORG, **kw),
    ]
    links = [
        link("A", "B", LinkKind.SUPPLY, volume=40.0),
        link("B", "C", LinkKind.PRODUCTION_SERVICES, volume=40.0),
        link("C", "Abroad", LinkKind.SUPPLY, volume=1000.0),
        link("Org", "A", LinkKind.SPECIAL_INVESTMENT),
    ]
    return ms, links


def test_registry_counts_qualifying_contracts_by_output_not_foreign_buyers() -> None:
    ms, links = _registry_roster()
    r = check(ms, links, "registry")
    assert r.value == pytest.approx(80.0 / 400.0)  # supply + production services, foreign buyer left out
    assert r.details["threshold_share"] == 0.2 and r.details["partial"] is True  # one link without volume
    assert r.status is CheckStatus.OK or r.details["without_contract"] == []


def test_registry_switches_to_ten_percent_in_special_territories() -> None:
    ms, links = _registry_roster()
    ms = [
        replace(x, special_territory=SpecialTerritory.SINGLE_INDUSTRY_TOWN) if x.id in ("A", "B") else x
        for x in ms
    ]
    links = [replace(lk, volume=30.0) if lk.id.startswith("B-C") else lk for lk in links]
    r = check(ms, links, "registry")
    assert r.details["threshold_share"] == 0.1 and r.details["special_territory_switch"] is True
    assert "special territories" in render_check(r, EN).message


def test_registry_lists_firms_without_output_and_participants_without_contract() -> None:
    ms, links = _registry_roster()
    ms = [*ms, m("D"), m("E", organising_production=True)]
    r = check(ms, links, "registry")
    assert r.details["missing_output"] == ["D", "E"]
    assert r.details["without_contract"] == ["D", "E"] and r.details["exempt"] == ["E"]
    assert r.status is CheckStatus.WARNING
    assert "Pre-check" in render_check(r, EN).message


# --- size classes -------------------------------------------------------------------------------


def test_size_classes_follow_209_fz_by_default_and_eu_on_request() -> None:
    assert [size_class(n) for n in (15, 16, 100, 101, 250, 251)] == [
        SizeClass.MICRO,
        SizeClass.SMALL,
        SizeClass.SMALL,
        SizeClass.MEDIUM,
        SizeClass.MEDIUM,
        SizeClass.LARGE,
    ]
    assert [size_class(n, "eu") for n in (9, 10, 49, 50, 249, 250)] == [
        SizeClass.MICRO,
        SizeClass.SMALL,
        SizeClass.SMALL,
        SizeClass.MEDIUM,
        SizeClass.MEDIUM,
        SizeClass.LARGE,
    ]


# --- JSON ------------------------------------------------------------------------------------------


def test_json_carries_the_facts_scripts_read() -> None:
    members, links, settings = demo_cluster()
    out = {r.id: check_json(r, EN) for r in assess(members, links, settings)}
    assert list(out) == [
        "critical_mass",
        "concentration",
        "helix",
        "cluster_org",
        "focal",
        "specialisation",
        "links",
        "registry",
    ]
    json.dumps(out, allow_nan=False)
    assert out["critical_mass"]["value"] == out["critical_mass"]["details"]["counted"]
    assert out["registry"]["details"]["threshold_share"] in (0.1, 0.2)
    assert 0 <= out["registry"]["value"] <= 1
    assert isinstance(out["concentration"]["details"]["outside"], list)
    assert set(out["links"]["details"]["gaps"]) == {
        "business_science",
        "business_education",
        "business_finance",
        "business_authorities",
        "business_business",
        "business_global_markets",
        "cluster_cluster",
    }
    assert all(isinstance(x, str) and "-" in x for x in out["helix"]["details"]["missing_ties"])
    assert out["links"]["how"] and len(out["links"]["how"]) == 8  # density + the seven gaps
