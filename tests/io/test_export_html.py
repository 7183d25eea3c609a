"""The standalone HTML map, opened the way a recipient opens it: Debian's chromium, headless.

Each page must load with no script error, draw every located member, make no request but the
file itself, and show hostile member text and project names as text (never run as a template,
HTML or script), in tooltips, popups, the legend caption and the title.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from headless_chromium import HeadlessChromium
from payloads import PAYLOADS, hostile_members, shell_payload

from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import Member, MemberKind, Status
from cluster_desk.io import export_roster
from cluster_desk.store.project import Project

REPO = Path(__file__).resolve().parents[2]

#: Every marker's tooltip and popup opened in turn; their text as the page shows it.
READ_MARKERS = """(() => {
  const map = window[document.querySelector('.folium-map').id];
  const seen = [];
  map.eachLayer((layer) => {
    if (!(layer instanceof L.CircleMarker)) { return; }
    layer.openTooltip();  // (closed overlays fade out: read each one from its own element)
    const tip = layer.getTooltip().getElement().textContent;
    layer.closeTooltip();
    layer.openPopup();
    const box = layer.getPopup().getElement().querySelector('.cd-popup');
    seen.push({tip, name: box.querySelector('.cd-name').textContent,
               values: Array.from(box.querySelectorAll('.cd-value'), (el) => el.textContent),
               html: box.innerHTML});
    layer.closePopup();
  });
  return JSON.stringify(seen);
})()"""


def _assert_clean_load(page: Path, log) -> None:
    assert log.exceptions == [], log.exceptions
    assert log.errors == [], log.errors
    # Offline: the only request is the file itself (no CDN, no tiles, no injected <img>).
    assert log.requests == [page.resolve().as_uri()], log.requests


def _drawn(browser: HeadlessChromium) -> int:
    return int(browser.evaluate("document.documentElement.getAttribute('data-cd-drawn')"))


@pytest.fixture(scope="module")
def browser():
    with HeadlessChromium() as b:
        yield b


def test_demo_map_draws_every_located_member_offline(browser, tmp_path):
    members, links, _ = demo_cluster()
    out = tmp_path / "demo.html"
    located = sum(1 for m in members if m.located)
    assert export_roster(members, links, out, title="Demo", lang="en") == located
    log = browser.open(out)
    _assert_clean_load(out, log)
    assert _drawn(browser) == located
    legend = browser.evaluate("document.querySelector('.leaflet-control-layers-overlays').textContent")
    assert "Firm (" in legend and "Research centre (" in legend  # one switchable layer per kind
    # Switching a kind off removes its markers from the map.
    firms = sum(1 for m in members if m.located and m.kind is MemberKind.FIRM)
    visible = browser.evaluate("""(() => {
      const box = Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))
        .find((l) => l.textContent.includes('Firm ('));
      box.querySelector('input').click();
      const map = window[document.querySelector('.folium-map').id];
      let n = 0; map.eachLayer((l) => { if (l instanceof L.CircleMarker) { n += 1; } });
      return n;
    })()""")
    assert visible == located - firms
    browser.screenshot(tmp_path / "demo.png")


def test_hostile_text_is_shown_as_text(browser, tmp_path):
    marker_file = tmp_path / "PWNED"
    members = hostile_members(shell_payload(marker_file))
    title = "{{ 8*8 }} </title><script>document.documentElement.dataset.pwned='title'</script> ${1+1}"
    out = tmp_path / "hostile.html"
    assert export_roster(members, None, out, title=title, lang="ru") == len(members)
    assert not marker_file.exists()  # the template payload ran no shell command
    log = browser.open(out)
    _assert_clean_load(out, log)
    assert _drawn(browser) == len(members)
    assert browser.evaluate("document.title") == title
    caption = browser.evaluate("document.querySelector('.cd-title').textContent")
    assert caption == title
    seen = json.loads(browser.evaluate(READ_MARKERS))
    assert sorted(s["name"] for s in seen) == sorted(m.name for m in members)
    assert all(s["tip"] == s["name"] for s in seen)
    shown = {value for s in seen for value in s["values"]}
    for payload in PAYLOADS:  # every payload came through unchanged, as text
        assert payload in shown or any(s["name"] == payload for s in seen), payload
    assert not any("<img" in s["html"] or "<script" in s["html"] for s in seen)
    # Nothing ran: no payload set the flag, no <img> or <script> was created from text.
    assert browser.evaluate("document.documentElement.dataset.pwned === undefined")
    assert browser.evaluate("document.querySelectorAll('img[src=\"x\"], script[src]').length") == 0
    _assert_clean_load(out, browser.log)  # opening popups made no request either


def test_window_export_opens_in_chromium(browser, qtbot, tmp_path):
    sys.path.insert(0, str(REPO / "tests" / "ui"))
    from ui_helpers import demo_file, exported, make_window, wait_map_synced

    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(demo_file(tmp_path))
    wait_map_synced(qtbot, window)
    out = tmp_path / "from-window.html"
    count = exported(window.exchange.export_to(out))
    located = sum(1 for m in window.session.members.values() if m.located)
    assert count == located
    log = browser.open(out)
    _assert_clean_load(out, log)
    assert _drawn(browser) == located


def test_cli_export_opens_in_chromium(browser, tmp_path):
    project = tmp_path / "p.cdesk"
    with Project.create(project, name="{{ 7*7 }} «Кластер»") as p:
        p.add_members([Member("{{ 7*7 }}", lat=55.79, lon=49.12),
                       Member("<b>bold</b>", kind=MemberKind.RESEARCH, status=Status.CANDIDATE,
                              lat=55.8, lon=49.2),
                       Member("no place")])
    out = tmp_path / "cli.html"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "cluster_desk", "export", str(project), str(out), "--lang", "ru"]
    run = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Выгружены 2 участника" in run.stdout  # --lang ru: the messages too
    log = browser.open(out)
    _assert_clean_load(out, log)
    assert _drawn(browser) == 2
    assert browser.evaluate("document.title") == "{{ 7*7 }} «Кластер»"
    names = sorted(s["name"] for s in json.loads(browser.evaluate(READ_MARKERS)))
    assert names == ["<b>bold</b>", "{{ 7*7 }}"]
    caption = browser.evaluate("document.querySelector('.cd-caption').textContent")
    assert "Без координат (не показаны): 1" in caption


def test_data_written_a_record_at_a_time_equals_it_escaped_whole():
    """The page's data is encoded and escaped per record (no long GIL hold in an export
    worker); joined, the pieces must be exactly the whole escaped at once."""
    from cluster_desk.io.formats.htmlmap import _data_json, script_json

    records = [{"name": p, "show": {"notes": p + "\u2028\u2029"}} for p in PAYLOADS] + [{}]
    rest = {"labels": {"notes": "</script><!--`${x}`&"}, "n": 1}
    whole = script_json({"members": records, **rest})
    assert "".join(_data_json(iter(records), rest)) == whole
    assert not any(ch in whole for ch in "<>&$`\u2028\u2029")
    assert json.loads(whole) == {"members": records, **rest}
