"""The passport as one self-contained HTML page (A4, print CSS): no script at all, a Content
Security Policy that forbids any, images as data: URIs, every piece of text escaped. The PDF is
this page printed by Qt WebEngine (cluster_desk/ui/report_pdf.py), so both say the same thing."""

from __future__ import annotations

import base64
from html import escape

from cluster_desk.report.charts import WIDE_CHARTS
from cluster_desk.report.data import PassportData
from cluster_desk.text import dates
from cluster_desk.text.check_words import CheckWords
from cluster_desk.text.passport_words import PassportWords

STATUS_MARK = {"ok": "✓", "warning": "!", "failing": "✗", "not_applicable": "–"}

CSS = """
@page { size: A4; margin: 14mm 13mm 14mm 13mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 8.6pt; color: #111;
       margin: 0; line-height: 1.3; }
.sheet { max-width: 184mm; margin: 0 auto; }
h1 { font-size: 17pt; margin: 0 0 1mm 0; }
h2 { font-size: 11pt; margin: 4mm 0 1.5mm 0; border-bottom: 0.6pt solid #333; padding-bottom: 0.8mm;
     break-after: avoid; page-break-after: avoid; }
.meta { color: #333; margin-bottom: 1mm; }
.meta b { color: #000; }
.missing { border: 0.8pt solid #333; padding: 1.5mm 2.5mm; margin: 2mm 0; background: #f2f2f2; }
.missing li { margin: 0.5mm 0; }
table { border-collapse: collapse; width: 100%; page-break-inside: auto; }
tr { page-break-inside: avoid; }
table.checks { table-layout: fixed; font-size: 7.8pt; }
/* Four columns wide enough for the longest word of each, so no word is broken (DejaVu Sans:
   "предприятий" 19.3 mm at 7.8pt, "Предупреждение" 26.2 mm and "Географическая" 26.3 mm bold,
   plus padding; A4 text width 184 mm). The threshold sits under the check's title. */
table.checks col.c-check { width: 23%; } table.checks col.c-figure { width: 13%; }
table.checks col.c-status { width: 16.5%; } table.checks col.c-finding { width: 47.5%; }
table.checks td.num { white-space: normal; padding-right: 2mm; }
table.checks td.status { white-space: normal; font-size: 7.2pt; }
table.checks td.status .mark { display: block; margin-bottom: 0.8mm; }
table.checks .threshold { margin-top: 0.8mm; font-size: 7.2pt; color: #222; }
table.checks .threshold .label { font-weight: bold; }
th, td { border-bottom: 0.4pt solid #999; padding: 1mm 1.2mm; vertical-align: top; text-align: left; }
th { background: #e6e6e6; font-weight: bold; font-size: 8pt; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.status { white-space: nowrap; font-weight: bold; }
tr.group td { font-weight: bold; font-style: italic; border-bottom: none; padding-top: 1.6mm; }
tr.group { page-break-after: avoid; }
/* Only a word longer than its whole column breaks ("anywhere" would also narrow auto columns). */
td { overflow-wrap: break-word; }
td.status.failing { background: #d9d9d9; }
td.status.warning { background: #efefef; }
.mark { display: inline-block; width: 3.6mm; text-align: center; border: 0.6pt solid #000;
        border-radius: 50%; font-size: 7pt; line-height: 3.4mm; margin-right: 1mm; }
.failing .mark { background: #000; color: #fff; }
.remedy { margin-top: 0.6mm; font-style: italic; }
.source { font-size: 6.6pt; color: #333; margin-top: 0.6mm; }
.map img { width: 100%; display: block; border: 0.4pt solid #999; }
.charts { display: flex; flex-wrap: wrap; gap: 2mm; justify-content: space-between; }
.chart { width: 90mm; page-break-inside: avoid; }
.chart.wide { width: 100%; }
.chart img { width: 100%; display: block; }
.cols { display: flex; gap: 5mm; }
.cols > div { flex: 1; }
.page-break { page-break-before: always; }
.keep { page-break-inside: avoid; }
.keep-start { page-break-inside: avoid; break-after: avoid; page-break-after: avoid; }
.note { color: #333; font-style: italic; }
footer { margin-top: 4mm; font-size: 7pt; color: #444; border-top: 0.4pt solid #999; padding-top: 1mm; }
"""

PNG_MAGIC = b"\x89PNG"
JPEG_MAGIC = b"\xff\xd8\xff"
#: What missing data leaves charts out (PassportWords.missing keys).
CHART_GAPS = ("no_dates", "no_links", "no_firms", "no_sectors", "no_sizes")
#: Cluster organisations named in the header before "… and N more".
MAX_ORGANISATIONS = 3
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _img(data: bytes, alt: str) -> str:
    mime = "image/png" if data.startswith(PNG_MAGIC) else "image/jpeg" if data.startswith(JPEG_MAGIC) \
        else "image/svg+xml"
    return f'<img alt="{_e(alt)}" src="data:{mime};base64,{base64.b64encode(data).decode("ascii")}">'


def _date(d: PassportData, iso: str) -> str:
    return dates.day(iso[:10], d.lang)


def _checks_table(d: PassportData, w: PassportWords) -> str:
    rows = []
    for said, js in zip(d.said, d.checks, strict=True):
        status = js["status"]
        remedy = f'<div class="remedy">{_e(said.remedy)}</div>' if said.remedy else ""
        threshold = (f'<div class="threshold"><span class="label">{_e(w.column("threshold"))}:</span> '
                     f"{_e(said.threshold)}</div>")
        rows.append(
            f'<tr><td class="check"><b>{_e(said.title)}</b>{threshold}</td>'
            f'<td class="num">{_e(said.figure)}</td>'
            f'<td class="status {_e(status)}"><span class="mark">{STATUS_MARK.get(status, "?")}</span>'
            f"{_e(said.status)}</td>"
            f'<td>{_e(said.message)}{remedy}<div class="source">{_e(said.source)}</div></td></tr>')
    keys = ("check", "figure", "status", "finding")
    head = "".join(f"<th>{_e(w.column(k))}</th>" for k in keys)
    cols = "".join(f'<col class="c-{k}">' for k in keys)
    return (f'<table class="checks"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _table(heads: list[tuple[str, bool]], rows: list[list[str]], more: int, w: PassportWords) -> str:
    head = "".join(f'<th class="{"num" if num else ""}">{_e(h)}</th>' for h, num in heads)
    body = "".join("<tr>" + "".join(f'<td class="{"num" if heads[i][1] else ""}">{_e(c)}</td>'
                                    for i, c in enumerate(r)) + "</tr>" for r in rows)
    tail = f'<p class="note">{_e(w.more(more))}</p>' if more > 0 else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{tail}"


def _tables(d: PassportData, w: PassportWords) -> str:
    t = d.text
    cw = CheckWords(t)
    out = []
    largest = d.largest()
    if largest:
        rows = [[m.name, w.kind(m.kind.value), t.number(m.employees or 0), m.sector or "—"] for m in largest]
        out.append(f'<div class="keep"><h2>{_e(w.heading("largest"))}</h2>' + _table(
            [(w.column("name"), False), (w.column("kind"), False), (w.column("employees"), True),
             (w.column("sector"), False)], rows, 0, w) + "</div>")
    latest = d.gap_years[-1][1] if d.gap_years else {}
    gap_rows = [[cw.gap(g), t.percent(latest.get(g))] for g in d.open_gaps]
    gaps_html = (_table([(w.column("gap"), False), (w.column("coverage"), True)], gap_rows, 0, w)
                 if gap_rows else f'<p class="note">{_e(w.missing("no_open_gaps"))}</p>')
    cand_html = (_candidates(d, w, cw) if d.gap_candidates
                 else f'<p class="note">{_e(w.missing("no_candidates"))}</p>')
    out.append(f'<div class="cols keep"><div><h2>{_e(w.heading("open_gaps"))}</h2>{gaps_html}</div>'
               f'<div><h2>{_e(w.heading("candidates"))}</h2>{cand_html}</div></div>')
    if d.outside:
        shown = d.outside[:10]
        rows = [[name, t.number(km)] for name, km in shown]
        more = max(d.outside_count, len(d.outside)) - len(shown)  # the check keeps only the farthest names
        body = _table([(w.column("name"), False), (w.column("distance"), True)], rows, more, w)
    elif not d.located:  # nobody placed: "everyone is inside" would be a false comfort
        body = f'<p class="note">{_e(w.missing("no_located"))}</p>'
    else:
        body = f'<p class="note">{_e(w.missing("none_outside"))}</p>'
    out.append(f'<div class="keep"><h2>{_e(w.heading("outside"))}</h2>{body}</div>')
    out.append(_snapshot(d, w))
    return "".join(out)


def _candidates(d: PassportData, w: PassportWords, cw: CheckWords) -> str:
    """Candidates under the gap each would close (a gap's name once, not on every row)."""
    body = []
    last = None
    for gap, name, kind in d.gap_candidates:
        if gap != last:
            body.append(f'<tr class="group"><td colspan="2">{_e(cw.gap(gap).split(" (")[0])}</td></tr>')
            last = gap
        body.append(f"<tr><td>{_e(name)}</td><td>{_e(w.kind(kind))}</td></tr>")
    head = f"<th>{_e(w.column('name'))}</th><th>{_e(w.column('kind'))}</th>"
    return f'<table class="candidates"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _snapshot(d: PassportData, w: PassportWords) -> str:
    title = f'<h2>{_e(w.heading("snapshot"))}</h2>'
    snap = d.snapshot
    if snap is None:
        return f'<div class="keep">{title}<p class="note">{_e(w.no_snapshot())}</p></div>'
    then = {c["id"]: c for c in snap.checks}
    rows = []
    for said, now in zip(d.said, d.checks, strict=True):
        old = then.get(now["id"])
        old_status = CheckWords(d.text).status(old["status"]) if old else "—"
        rows.append([said.title, f"{_fmt_value(d, old)} · {old_status}",
                     f"{_fmt_value(d, now)} · {said.status}"])
    line = f'<p class="meta">{_e(w.snapshot_line(_date(d, snap.day), _date(d, snap.made)))}</p>'
    return (f'<div class="keep">{title}{line}' + _table(
        [(w.column("check"), False), (w.column("then"), False), (w.column("now"), False)], rows, 0, w)
        + "</div>")


def _fmt_value(d: PassportData, check: dict[str, object] | None) -> str:
    if not check or check.get("value") is None:
        return "—"
    v = check["value"]
    if isinstance(v, float) and not v.is_integer():
        return d.text.number(v, 2)
    return d.text.number(float(v) if isinstance(v, int | float) else 0)


def _ties(d: PassportData) -> int:
    """Links as the links check counts them (one per linked pair), so the page agrees with itself."""
    for c in d.checks:
        if c["id"] == "links" and isinstance(c["details"].get("link_count"), int):
            return int(c["details"]["link_count"])
    return len(d.links)


def build_html(d: PassportData, images: dict[str, bytes], map_image: bytes | None) -> str:
    """The page. ``images``: chart key -> SVG, PNG or JPEG bytes (missing charts left out); ``map_image``:
    the map."""
    w = PassportWords(d.text)
    org = ", ".join(d.organisations[:MAX_ORGANISATIONS]) or "—"
    if len(d.organisations) > MAX_ORGANISATIONS:  # a roster may name hundreds: the header stays a line
        org += " " + w.more(len(d.organisations) - MAX_ORGANISATIONS)
    meta = (f'<p class="meta"><b>{_e(w.heading("as_of"))}:</b> {_e(_date(d, d.day))} · '
            f'<b>{_e(w.heading("organisation"))}:</b> {_e(org)} · '
            f'<b>{_e(w.heading("made"))}:</b> {_e(_date(d, d.made))}</p>'
            f'<p class="meta">{_e(w.counts(len(d.participants), len(d.candidates), _ties(d)))}</p>')
    missing = ""
    if d.missing:
        items = "".join(f"<li>{_e(w.missing(k))}</li>" for k in d.missing)
        missing = f'<div class="missing"><b>{_e(w.heading("missing"))}</b><ul>{items}</ul></div>'
    map_html = ""
    if map_image is not None:
        map_html = (f'<div class="map keep"><h2>{_e(w.heading("map"))}</h2>'
                    + _img(map_image, w.heading("map")) + "</div>")
    elif "no_located" in d.missing:  # the section says why it has no map
        map_html = (f'<div class="keep"><h2>{_e(w.heading("map"))}</h2>'
                    f'<p class="note">{_e(w.missing("no_located"))}</p></div>')
    charts = "".join(
        f'<div class="chart{" wide" if key in WIDE_CHARTS else ""}">'
        f'{_img(chart, w.heading("charts"))}'
        "</div>"
        for key, chart in sorted(images.items(), key=lambda kv: kv[0] in WIDE_CHARTS))  # 2 a row, then wide
    # Charts that data is missing for are said here too, where the reader looks for them.
    notes = "".join(f'<p class="note">{_e(w.missing(k))}</p>' for k in d.missing if k in CHART_GAPS)
    charts_html = (f'<div class="keep-start"><h2>{_e(w.heading("charts"))}</h2>{notes}</div>'
                   f'<div class="charts">{charts}</div>'
                   if charts or notes else "")
    title = f"{w.heading('passport')}: {d.name}" if d.name else w.heading("passport")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(d.lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body><div class=\"sheet\">"
        f"<h1>{_e(title)}</h1>{meta}{missing}{map_html}"
        f'<h2>{_e(w.heading("checks"))}</h2>{_checks_table(d, w)}'
        f"{_tables(d, w)}{charts_html}"
        f"<footer>{_e(w.footer())}</footer></div></body></html>"
    )
