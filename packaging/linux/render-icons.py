"""Write the hicolor icon tree for the app: ``render-icons.py OUT_DIR``.

Takes resources/icons/cluster-desk-<size>.png where present, else renders each size from
resources/icons/cluster-desk.svg, else from packaging/linux/cluster-desk.svg (the fallback),
with Qt's SVG renderer (PySide6 from the build venv). Writes OUT_DIR/<size>x<size>/apps/cluster-desk.png
and OUT_DIR/scalable/apps/cluster-desk.svg.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ROOT = Path(__file__).resolve().parents[2]


def main(out: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    icons = ROOT / "resources" / "icons"
    svg = icons / "cluster-desk.svg"
    if not svg.is_file():
        svg = Path(__file__).with_name("cluster-desk.svg")
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        print(f"render-icons: cannot read {svg}", file=sys.stderr)
        return 1
    scalable = out / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable / "cluster-desk.svg")
    for size in SIZES:
        dest = out / f"{size}x{size}" / "apps" / "cluster-desk.png"
        dest.parent.mkdir(parents=True, exist_ok=True)
        given = icons / f"cluster-desk-{size}.png"
        if given.is_file():
            shutil.copyfile(given, dest)
            continue
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        if not image.save(str(dest), "PNG"):
            print(f"render-icons: cannot write {dest}", file=sys.stderr)
            return 1
    print(f"render-icons: {len(SIZES)} sizes + scalable from {svg.relative_to(ROOT)} into {out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: render-icons.py OUT_DIR")
    sys.exit(main(Path(sys.argv[1])))
