"""What the assessment panel does as a result arrives after a drop (issue 17: nothing on the GUI
thread longer than a frame): a card's "How this is computed" is written when the card is opened,
and follows new results while it is open."""

from __future__ import annotations

import dataclasses
from typing import Any

from cluster_desk.core.assessment import assess
from cluster_desk.core.demo import demo_cluster
from cluster_desk.text.check_explain import explain_check
from cluster_desk.ui.assessment.panel import AssessmentPanel
from cluster_desk.ui.i18n import ui_text


def _how(result: Any) -> str:
    return "\n".join(f"• {line}" for line in explain_check(result, ui_text()))


def _results(radius_km: float = 200.0) -> list[Any]:
    members, links, settings = demo_cluster()
    return assess(members, links, dataclasses.replace(settings, radius_km=radius_km))


def test_how_it_is_computed_is_written_when_the_card_opens(qtbot: Any) -> None:
    panel = AssessmentPanel()
    qtbot.addWidget(panel)
    panel.show()
    first = _results()
    panel.set_results(first)
    card = panel.cards["concentration"]
    conc = next(r for r in first if r.id == "concentration")
    assert card.how.text() == ""  # closed: not written
    panel.select("concentration")
    assert card.how.isVisibleTo(card) and card.how.text() == _how(conc)
    second = _results(radius_km=50.0)  # another verdict while the card is open
    conc2 = next(r for r in second if r.id == "concentration")
    assert _how(conc2) != _how(conc)
    panel.set_results(second)
    assert card.how.text() == _how(conc2)
    panel.select("")
    panel.set_results(first)  # closed again: the text waits for the next opening
    panel.select("concentration")
    assert card.how.text() == _how(conc)

