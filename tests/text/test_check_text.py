"""Every check id and every rule branch renders in English and Russian, from the one catalogue,
with nothing left untranslated, no placeholder unfilled and numbers in the language's format."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal, get_args, get_type_hints

import pytest
from check_rosters import ROSTERS

from cluster_desk.core import check_facts
from cluster_desk.core.assessment import CheckResult, assess
from cluster_desk.text import Text, load_catalogue, text_for
from cluster_desk.text.check_report import check_report
from cluster_desk.text.checks import CheckText, check_json, render_check

FACTS = {
    "critical_mass": check_facts.CriticalMassFacts,
    "concentration": check_facts.ConcentrationFacts,
    "helix": check_facts.HelixFacts,
    "cluster_org": check_facts.ClusterOrgFacts,
    "focal": check_facts.FocalFacts,
    "specialisation": check_facts.SpecialisationFacts,
    "links": check_facts.LinksFacts,
    "registry": check_facts.RegistryFacts,
}


def strict(lang: str) -> Text:
    """A Text that fails on any entry the catalogue lacks (Russian), or on a plural entry without
    its English forms: a missing translation must fail here, not fall back to English."""
    catalogue = load_catalogue(lang)

    def translate(context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        if lang != "en" or n >= 0:
            assert catalogue.has(context, source, disambiguation), f"{lang}: no entry {context}: {source!r}"
            assert (n >= 0) == catalogue.is_plural(context, source, disambiguation), (context, source)
        return catalogue.translate(context, source, disambiguation, n)

    return Text(lang, translate)


def _all_results() -> list[tuple[str, CheckResult]]:
    out = []
    for name, build in ROSTERS.items():
        members, links, settings = build()
        out += [(name, r) for r in assess(members, links, settings)]
    return out


RESULTS = _all_results()


def test_the_rosters_reach_every_check_and_branch() -> None:
    reached = {(r.id, r.facts.branch) for _, r in RESULTS}
    wanted = set()
    for check_id, cls in FACTS.items():
        branch = get_type_hints(cls)["branch"]
        assert branch.__origin__ is Literal
        wanted |= {(check_id, b) for b in get_args(branch)}
    assert wanted - reached == set()
    # The wording inside branches: each remedy / message variant is met at least once.
    facts = [r.facts for _, r in RESULTS]
    mass = [f for f in facts if isinstance(f, check_facts.CriticalMassFacts) and f.branch == "below"]
    # no candidate would count / candidates leave some short / candidates close the gap
    variants = {0 if not f.offered else 1 if f.short_after else 2 for f in mass}
    assert variants == {0, 1, 2}
    assert any(f.unclassified for f in mass) and any(f.outside for f in mass)
    assert any(f.unlocated for f in mass)
    conc = [f for f in facts if isinstance(f, check_facts.ConcentrationFacts)]
    assert any(f.branch == "unplaced" and f.unlocated_count for f in conc)
    assert any(f.branch == "unplaced" and not f.unlocated_count for f in conc)
    assert any(f.branch != "unplaced" and f.unlocated_count for f in conc)
    helix = [f for f in facts if isinstance(f, check_facts.HelixFacts) and f.branch == "missing"]
    assert {bool(names) for f in helix for _, names in f.candidates} == {True, False}
    org = [f for f in facts if isinstance(f, check_facts.ClusterOrgFacts) and f.branch == "absent"]
    assert {f.candidate is None for f in org} == {True, False}
    links = [f for f in facts if isinstance(f, check_facts.LinksFacts) and f.branch == "gaps"]
    assert any(f.open_gaps for f in links) and any(f.isolated for f in links)
    reg = [f for f in facts if isinstance(f, check_facts.RegistryFacts) and f.branch == "short"]
    assert any(f.contract_short for f in reg) and any(f.share_short for f in reg)
    assert any(f.dependence is None for f in reg) and any(f.partial for f in reg)
    assert any(f.threshold_share != f.base_share for f in reg)


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize(
    ("roster", "result"), RESULTS, ids=[f"{n}-{r.id}-{r.facts.branch}" for n, r in RESULTS]
)
def test_every_branch_renders(lang: str, roster: str, result: CheckResult) -> None:
    said = render_check(result, strict(lang))
    assert said == render_check(result, text_for(lang))  # the strict catalogue is the shipped one
    fields = [
        said.title,
        said.status,
        said.figure,
        said.threshold,
        said.threshold_line,
        said.message,
        said.source,
    ]
    assert all(fields), said
    assert bool(said.remedy) == (str(result.status) != "ok"), said
    for value in (*fields, said.remedy):
        assert not re.search(r"%\d|%n|\(s\)", value), value  # every placeholder filled, plurals chosen
    if lang == "ru":
        _assert_russian(said)
    else:
        assert not re.search("[а-яё]", said.title + said.threshold + said.status, re.I)


def _assert_russian(said: CheckText) -> None:
    for value in (said.title, said.status, said.threshold, said.source):
        assert re.search("[а-яё]", value, re.I), value
    # Latin words left in a Russian sentence would mean an English fallback (names aside).
    words = re.findall(r"\b[A-Za-z]{4,}\b", said.message + " " + said.remedy)
    assert set(words) <= {"GIANT", "NOWHERE", "CAND_FIRM", "CITY"}, words
    assert not re.search(r"\d\.\d", said.figure + said.threshold)  # decimals take a comma


def test_numbers_follow_the_language_in_checks() -> None:
    members, links, settings = ROSTERS["demo"]()
    by_id = {r.id: r for r in assess(members, links, settings)}
    spec = by_id["specialisation"]
    assert render_check(spec, text_for("en")).figure == "HHI 0.56"
    assert render_check(spec, text_for("ru")).figure == "ИХХ 0,56"
    conc_ru = render_check(by_id["concentration"], text_for("ru"))
    assert "423 км" in conc_ru.remedy and conc_ru.figure == "98\u00a0%"
    links_ru = render_check(by_id["links"], text_for("ru"))
    n = by_id["links"].facts.link_count
    assert links_ru.figure.startswith(f"{n}\u00a0связ" if n >= 1000 else f"{n} связ")
    assert "плотность 3,01\u00a0%" in links_ru.message


def test_russian_number_agreement_in_checks() -> None:
    members, links, settings = ROSTERS["demo"]()
    for mass_min, expected in (
        (96, "Нужно ещё 1 предприятие"),
        (97, "Нужно ещё 2 предприятия"),
        (100, "Нужно ещё 5 предприятий"),
        (116, "Нужно ещё 21 предприятие"),
    ):
        mass = assess(members, links, replace(settings, mass_min=mass_min))[0]
        assert render_check(mass, text_for("ru")).remedy.startswith(expected)


def test_the_report_and_json_speak_the_same_words() -> None:
    members, links, settings = ROSTERS["demo"]()
    results = assess(members, links, settings)
    for lang in ("en", "ru"):
        text = text_for(lang)
        report = check_report(results, text)
        for r in results:
            said = render_check(r, text)
            assert said.message in report and said.title in report
            assert check_json(r, text)["message"] == said.message
