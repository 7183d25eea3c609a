"""How the passport's charts are drawn, for speed (bench/bench_report.py): each chart is drawn
once when saved (no layout pass drawing it a second time), the gaps grid goes into the SVG as its
own cells (not a resampled bitmap), and matplotlib is imported without the parts the passport
never uses. What the charts look like is tested in test_passport_layout."""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cluster_desk.core.demo import demo_cluster
from cluster_desk.report import passport_data
from cluster_desk.report.charts import CHARTS, figure_bytes, gaps
from cluster_desk.text.passport_words import PassportWords

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo():
    members, links, settings = demo_cluster()
    return passport_data(members, links, settings, lang="ru", day="2024-12-31")


@pytest.mark.parametrize("fmt", ["svg", "jpeg"])
def test_a_chart_is_drawn_once_when_saved(demo, fmt: str) -> None:
    """savefig with a matplotlib layout engine drew every chart twice (once with drawing off, to
    run the engine); the charts lay themselves out in their one draw."""
    from cluster_desk.report.chart_layout import ChartFigure

    words = PassportWords(demo.text)
    draws = []
    original = ChartFigure.draw

    def counted(self, renderer):
        draws.append(renderer)
        return original(self, renderer)

    ChartFigure.draw = counted
    try:
        for _key, draw in CHARTS:
            fig = draw(demo.charts, words)
            assert fig is not None and fig.get_layout_engine() is None
            before = len(draws)
            figure_bytes(fig, fmt)
            assert len(draws) - before == 1
    finally:
        ChartFigure.draw = original


def test_the_gaps_grid_is_embedded_one_pixel_a_cell(demo) -> None:
    from PIL import Image

    svg = figure_bytes(gaps(demo, PassportWords(demo.text)), "svg").decode()
    images = re.findall(r'<image [^>]*xlink:href="data:image/png;base64,([^"]+)"', svg)
    assert len(images) == 1
    grid = Image.open(io.BytesIO(base64.b64decode(images[0])))
    assert grid.size == (len(demo.gap_years), 7)  # years across, the seven gaps down
    assert "pixelated" in svg  # drawn as sharp cells by the browser


def test_matplotlib_is_imported_without_the_3d_toolkit_and_with_its_docstrings_put_back() -> None:
    code = (
        "import sys, warnings\n"
        "warnings.simplefilter('error')\n"
        "from cluster_desk.report.charts import new_figure, figure_bytes\n"
        "figure_bytes(new_figure((2, 1)), 'png')\n"
        "import matplotlib.artist, matplotlib.lines\n"
        "assert 'mpl_toolkits.mplot3d' not in sys.modules\n"
        "assert matplotlib.artist.kwdoc(matplotlib.lines.Line2D).startswith('Properties:')\n"
        "import mpl_toolkits.mplot3d\n"  # still importable by whoever wants it
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
