"""QGIS's load-and-render of a GeoPackage at 1400x900: the peer of "open -> painted" (issue 17).

Runs under Debian's system Python with PyQGIS (``apt-get install python3-qgis qgis-providers``),
not the project's venv: ``bench/qgis_peer.py`` starts it as a subprocess. Timed per run: from
creating the layer and adding it to the project until the rendered image is done
(QgsMapRendererParallelJob, the job QGIS's own map canvas uses), the layer's full extent. QGIS's
start-up (``initQgis``) is before the clock, as our window is already up when bench_open opens.

    /usr/bin/python3 bench/qgis_render.py MEMBERS.gpkg [--repeat 3] [--png out.png]

Prints one line: ``QGIS <median seconds> <features> <runs>`` (or ``QGIS-ERROR <why>``).
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("gpkg")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--png", default="")
    args = ap.parse_args()
    from qgis.core import (
        QgsApplication,
        QgsMapRendererParallelJob,
        QgsMapSettings,
        QgsProject,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtCore import QSize

    app = QgsApplication([], False)
    app.initQgis()
    took, features, image = [], 0, None
    for i in range(args.repeat):
        t0 = time.perf_counter()
        layer = QgsVectorLayer(args.gpkg, f"members {i}", "ogr")
        if not layer.isValid():
            print(f"QGIS-ERROR the layer is not valid: {args.gpkg}")
            return 1
        QgsProject.instance().addMapLayer(layer)
        settings = QgsMapSettings()
        settings.setLayers([layer])
        settings.setDestinationCrs(layer.crs())
        settings.setExtent(layer.extent())
        settings.setOutputSize(QSize(1400, 900))
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        image = job.renderedImage()
        took.append(time.perf_counter() - t0)
        features = layer.featureCount()
        QgsProject.instance().removeMapLayer(layer.id())
    if args.png and image is not None:
        image.save(args.png)
    print(f"QGIS {statistics.median(took):.4f} {features} {len(took)}", flush=True)
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
