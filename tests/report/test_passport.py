"""The cluster passport through the command line: PDF read back with poppler, HTML opened in
Debian's headless chromium; its numbers are `cluster-desk check --json`'s for the same date.

Page images (pdftoppm) are left in the test's tmp folder as artefacts to look at."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io"))  # shared with the export tests
from headless_chromium import HeadlessChromium
from payloads import PAYLOADS, hostile_members

from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import (
    ClusterSettings,
    Industry,
    Link,
    LinkKind,
    Member,
    MemberKind,
    Status,
)
from cluster_desk.store.project import Project

REPO = Path(__file__).resolve().parents[2]
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed "
                                   "(scripts/system-deps.sh installs it)")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen",
           "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox --disable-gpu", "QTWEBENGINE_DISABLE_SANDBOX": "1",
           "HOME": "/tmp"}
    return subprocess.run([sys.executable, "-m", "cluster_desk", *args], capture_output=True, text=True,
                          cwd=REPO, env=env)


def _project(path: Path, members: list[Member], links: list[Link], settings: ClusterSettings) -> Path:
    with Project.create(path, name=settings.name) as p:
        p.set_settings(settings)
        p.add_members(members)
        p.add_links(links)
    return path


def random_roster(seed: int, n: int = 160) -> tuple[list[Member], list[Link], ClusterSettings]:
    rng = random.Random(seed)
    kinds = list(MemberKind)
    ms = []
    for i in range(n):
        kind = MemberKind.FIRM if rng.random() < 0.7 else rng.choice(kinds)
        status = rng.choices([Status.MEMBER, Status.CANDIDATE, Status.FORMER], weights=(8, 1, 1))[0]
        joined = f"{rng.randint(2012, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        left = f"{rng.randint(2022, 2025)}-06-30" if status == Status.FORMER else None
        ms.append(Member(
            f"Участник {i} «{rng.choice(['Альфа', 'Бета', 'Гамма'])}»", kind, status, id=f"m{i}",
            sector=(f"{rng.choice([29, 22, 25, 27, 72, 85])}.{rng.randint(10, 99)}"
                    if rng.random() < 0.9 else ""),
            industry=rng.choice(list(Industry)), employees=rng.choice([None, 5, 40, 120, 600, 3000]),
            lat=55.8 + rng.uniform(-2.5, 2.5) if rng.random() < 0.9 else None,
            lon=49.1 + rng.uniform(-3.5, 3.5),
            joined=joined if status != Status.CANDIDATE else None, left=left,
        ))  # fmt: skip
    ms = [m if m.lat is not None else Member(**{**_fields(m), "lon": None}) for m in ms]
    ls = []
    for j in range(n * 2):
        a, b = rng.sample(range(n), 2)
        start = f"{rng.randint(2013, 2025)}-01-15"
        ls.append(Link(f"m{a}", f"m{b}", rng.choice(list(LinkKind)), id=f"l{j}", start=start,
                       end=None if rng.random() < 0.8 else "2025-03-01", volume=rng.choice([None, 1e6])))
    return ms, ls, ClusterSettings(name=f"Случайный кластер {seed}", mass_min=40, mass_max=80)


def _fields(m: Member) -> dict[str, object]:
    return {f: getattr(m, f) for f in m.__slots__}  # type: ignore[attr-defined]


class _Cells(HTMLParser):
    """Text of each check row's cells, in order, and of the threshold under each check's title;
    ``visible`` is the text a reader sees (the body's text, not the <title> or the CSS)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.thresholds: list[str] = []
        self.visible: list[str] = []
        self._in_checks = False
        self._in_body = False
        self._in_style = False
        self._cell: list[str] | None = None
        self._threshold: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self._in_body = True
        elif tag == "style":
            self._in_style = True
        elif tag == "table" and ("class", "checks") in attrs:
            self._in_checks = True
        elif self._in_checks and tag == "tr":
            self.rows.append([])
        elif self._in_checks and tag == "td":
            self._cell = []
        elif self._cell is not None and tag == "div" and ("class", "threshold") in attrs:
            self._threshold, self._depth = [], 1
        elif self._threshold is not None and tag == "div":
            self._depth += 1

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        elif tag == "table":
            self._in_checks = False
        elif tag == "div" and self._threshold is not None:
            self._depth -= 1
            if self._depth == 0:
                self.thresholds.append("".join(self._threshold))
                self._threshold = None
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._threshold is not None:
            self._threshold.append(data)
        elif self._cell is not None:
            self._cell.append(data)
        if self._in_body and not self._in_style:
            self.visible.append(data)


def _words(text: str) -> Counter[str]:
    """Words (letters only: a number's groups and a hyphenated word's halves are words apart)."""
    return Counter(re.findall(r"[^\W\d_]{2,}", text))


def assert_no_word_broken(html_visible: str, pdf_text: str) -> None:
    """Every word of the page is printed whole as often as the page says it: a word split over
    two lines in a narrow column ("Специализаци / я") prints as two other words and fails this."""
    printed = _words(pdf_text)
    broken = {w: n for w, n in _words(html_visible).items() if printed[w] < n}
    assert not broken, f"words split or lost in the PDF: {sorted(broken)[:20]}"


#: A number as the text renderer writes it: "1 234", "0,19", "97 %" (a table row may break across
#: pages, so the PDF is compared number by number; the HTML above is compared string by string).
NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?(?:\s?%)?")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


ROSTERS = {"demo": lambda: demo_cluster(), "random": lambda: random_roster(11)}


@needs_poppler
@pytest.mark.parametrize(("roster", "lang", "day"), [("demo", "en", None), ("demo", "ru", "2021-12-31"),
                                                      ("random", "ru", None), ("random", "en", "2020-12-31")])
def test_passport_numbers_are_check_json(tmp_path, roster, lang, day):
    path = _project(tmp_path / "p.cdesk", *ROSTERS[roster]())
    when = ["--as-of", day] if day else []
    checks = json.loads(_cli("check", str(path), "--json", "--lang", lang, *when).stdout)
    html_out, pdf_out = tmp_path / "passport.html", tmp_path / "passport.pdf"
    for out in (html_out, pdf_out):
        run = _cli("report", str(path), str(out), "--lang", lang, *when)
        assert run.returncode == 0, run.stderr
    cells = _Cells()
    cells.feed(html_out.read_text(encoding="utf-8"))
    rows = [r for r in cells.rows if r]
    assert len(rows) == len(checks) == 8
    assert len(cells.thresholds) == 8
    for row, threshold, check in zip(rows, cells.thresholds, checks, strict=True):
        title_and_threshold, figure, _status, finding = row
        assert title_and_threshold.startswith(check["title"])
        assert threshold.endswith(": " + check["threshold"])
        assert finding.startswith(check["message"]) and check["remedy"] in finding
        assert check["source"] in finding
        if check["value"] is None:
            assert figure == "—"
    raw_text = subprocess.run(["pdftotext", "-raw", str(pdf_out), "-"], capture_output=True, text=True,
                              check=True).stdout
    assert_no_word_broken(" ".join(cells.visible), raw_text)
    pdf_text = _squash(raw_text)
    flat = pdf_text.replace("-", "")
    for check in checks:  # the same titles and every number of each finding in the printed page
        assert _squash(check["title"]) in pdf_text
        for key in ("message", "remedy", "threshold"):
            for number in NUMBER.findall(check[key]):
                assert _squash(number) in flat, (key, number, check[key])
    info = subprocess.run(["pdfinfo", str(pdf_out)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 2 <= pages <= 4
    assert "pts (A4)" in info
    fonts = subprocess.run(["pdffonts", str(pdf_out)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes " in r for r in rows), fonts  # every font embedded (subset)
    assert _squash("Паспорт кластера" if lang == "ru" else "Cluster passport") in pdf_text
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf_out), str(tmp_path / f"page-{lang}")], check=True)
    assert len(list(tmp_path.glob(f"page-{lang}-*.png"))) == pages


@needs_poppler
def test_empty_facts_are_said_not_drawn(tmp_path):
    ms = [Member("Фирма без дат", id="a"), Member("Вторая", id="b", kind=MemberKind.AUTHORITY)]
    path = _project(tmp_path / "bare.cdesk", ms, [], ClusterSettings(name="Голый кластер"))
    out = tmp_path / "bare.pdf"
    run = _cli("report", str(path), str(out), "--lang", "en")
    assert run.returncode == 0, run.stderr
    text = _squash(subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True,
                                  check=True).stdout)
    for said in ("No member has a join date", "No participant is placed on the map",
                 "No links between participants are recorded", "No participant firm has an OKVED code",
                 "No participant firm has a head count"):
        assert _squash(said) in text, said
    html_out = tmp_path / "bare.html"
    assert _cli("report", str(path), str(html_out), "--lang", "ru").returncode == 0
    page = html_out.read_text(encoding="utf-8")
    assert "Ни один участник не размещён на карте" in page
    # Only the helix chart: the one firm has no head count, so the firm size chart is not drawn.
    assert page.count("<img") == 1


def test_bad_report_destination_is_one_line(tmp_path):
    path = _project(tmp_path / "p.cdesk", [Member("x")], [], ClusterSettings())
    run = _cli("report", str(path), str(tmp_path / "out.docx"))
    assert run.returncode == 1 and "use .pdf or .html" in run.stderr
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_hostile_names_print_as_text_in_chromium(tmp_path):
    members = hostile_members()
    # Every payload as a participant (member status), a cluster organisation among them.
    members = [Member(**{**_fields(m), "status": Status.MEMBER, "employees": 1000 - i})
               for i, m in enumerate(members)]
    settings = ClusterSettings(name="</title><script>document.documentElement.dataset.pwned='t'</script>${1}")
    links = [Link(members[0].id, members[1].id, LinkKind.RND)]
    path = _project(tmp_path / "h.cdesk", members, links, settings)
    out = tmp_path / "hostile.html"
    assert _cli("report", str(path), str(out), "--lang", "en").returncode == 0
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page.lower().replace("&lt;script", "")
    with HeadlessChromium() as browser:
        log = browser.open(out)
        assert log.exceptions == [] and log.errors == [], (log.exceptions, log.errors)
        assert [r for r in log.requests if not r.startswith("data:")] == [out.resolve().as_uri()]
        assert browser.evaluate("document.documentElement.dataset.pwned === undefined")
        assert browser.evaluate("document.scripts.length") == 0
        assert browser.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
        assert browser.evaluate("document.title").startswith("Cluster passport: </title><script>")
        shown = browser.evaluate("document.body.innerText")
    for payload in PAYLOADS[:10]:  # names, largest-participants table: printed as they are
        name = " ".join(payload.split())
        assert name in " ".join(shown.split()) or payload.startswith(("line",)), payload
