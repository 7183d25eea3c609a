"""The assessment panel builds its cards while an assessment is on its way, one per turn of the
event loop (issue 17: the first result of a big project only fills them): the result then shows
those very cards, in the checks' order."""

from __future__ import annotations

from cluster_desk.core.assessment import assess
from cluster_desk.core.check_facts import CHECK_IDS
from cluster_desk.core.demo import demo_cluster
from cluster_desk.ui.assessment.panel import AssessmentPanel


def test_cards_are_built_while_the_assessment_is_on_its_way(qtbot) -> None:
    panel = AssessmentPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_updating(True)
    assert len(panel._spare) < len(CHECK_IDS)  # (built later, a card per turn)
    qtbot.waitUntil(lambda: set(panel._spare) == set(CHECK_IDS))
    built = dict(panel._spare)
    assert not panel.cards  # (the cards showing a result)
    assert not any(card.isVisible() for card in built.values())
    members, links, settings = demo_cluster()
    results = assess(members, links, settings)
    panel.set_updating(False)
    panel.set_results(results)
    assert all(panel.cards[r.id] is built[r.id] and built[r.id].isVisible() for r in results)
    assert not panel._spare
    layout = panel.cards_layout
    assert [layout.itemAt(i).widget().check_id for i in range(len(CHECK_IDS))] == list(CHECK_IDS)
    assert all(built[r.id].title.text() for r in results)


def test_the_first_checks_on_their_way_are_said_so(qtbot) -> None:
    """An open's first assessment (at a million members ~2 s after the paint): the empty checks
    tab says they are coming; the counts replace it; a later run keeps the counts meanwhile."""
    panel = AssessmentPanel()
    qtbot.addWidget(panel)
    coming = panel.tr("Checking the cluster…")
    panel.set_updating(True)
    assert panel.summary.text() == coming
    members, links, settings = demo_cluster()
    results = assess(members, links, settings)
    panel.set_updating(False)
    panel.set_results(results)
    counts = panel.summary.text()
    assert counts and counts != coming
    panel.set_updating(True)  # an edit's run: the cards and their counts stay until it is done
    assert panel.summary.text() == counts
    panel.set_updating(False)
    panel.set_results([])  # (closed)
    panel.set_updating(True)
    panel.set_updating(False)  # (a run that gave nothing: no stale "coming")
    assert panel.summary.text() == ""


def test_a_card_clicked_looks_selected_and_the_others_not(qtbot) -> None:
    """The selected look is one style sheet's rule picked by the card's "selected" property (a
    click restyles that card alone); the prepared cards paid Qt's first restyle meanwhile."""
    panel = AssessmentPanel()
    qtbot.addWidget(panel)
    panel.resize(420, 900)
    panel.show()
    panel.set_updating(True)
    qtbot.waitUntil(lambda: set(panel._spare) == set(CHECK_IDS))
    members, links, settings = demo_cluster()
    panel.set_updating(False)
    panel.set_results(assess(members, links, settings))
    first, second = (panel.cards[c] for c in CHECK_IDS[:2])

    def fill(card) -> str:  # (inside the frame, left of the texts)
        return card.grab().toImage().pixelColor(4, card.height() // 2).name()

    assert fill(first) == fill(second) == "#ffffff"
    panel.select(first.check_id)
    assert (fill(first), fill(second)) == ("#f2f6fe", "#ffffff")
    assert first.how.isVisible() and not second.how.isVisible()
    panel.select(second.check_id)
    assert (fill(first), fill(second)) == ("#ffffff", "#f2f6fe")


def test_the_counts_are_each_in_their_plural(qtbot) -> None:
    """"7 ok · 1 warning · 0 failing": it said "1 warnings"."""
    import dataclasses

    panel = AssessmentPanel()
    qtbot.addWidget(panel)
    members, links, settings = demo_cluster()
    results = assess(members, links, settings)
    kind = type(results[0].status)
    one_warning = [dataclasses.replace(r, status=kind("warning" if i == 0 else "ok"))
                   for i, r in enumerate(results)]
    panel.set_results(one_warning)
    assert panel.summary.text() == f"{len(results) - 1} ok · 1 warning · 0 failing"
    panel.set_results([dataclasses.replace(r, status=kind("warning")) for r in results])
    assert panel.summary.text() == f"0 ok · {len(results)} warnings · 0 failing"
