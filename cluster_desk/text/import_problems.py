"""Import problems (io.errors.ImportProblem: a code and its params) as one line in a language.

The line names the file, the row (and member) and the field, like the English ``str(problem)``
the command line prints. ``field_label`` is the field as the interface names it (the caller
has the vocabulary: io.vocabulary.header); an unknown code raises KeyError (no silent English).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from cluster_desk.text.speech import Speaker, Text

__all__ = ["import_problem_line"]


class _Problem(Protocol):
    file: str
    row: int
    field: str
    value: str
    unit: str
    code: str
    member: str

    @property
    def params(self) -> Mapping[str, Any]: ...


class ImportProblemText(Speaker):
    def where(self, p: _Problem) -> str:
        if p.row <= 0:
            return p.file
        if p.unit == "feature":
            place = self.tr("%1, feature %2").arg(p.file, p.row)
        elif p.unit == "placemark":
            place = self.tr("%1, placemark %2").arg(p.file, p.row)
        else:
            place = self.tr("%1, row %2").arg(p.file, p.row)
        return place + (f" ({p.member})" if p.member else "")

    def line(self, p: _Problem, field_label: str, imported: bool) -> str:
        message = self.message(p.code, dict(p.params), imported)
        if p.field:
            return self.tr("%1, field “%2”: “%3” %4").arg(
                self.where(p), field_label or p.field, p.value, message
            )
        return self.tr("%1: %2").arg(self.where(p), message)

    def message(self, code: str, q: dict[str, Any], imported: bool) -> str:
        left_empty = self.tr("left empty, the rest of the row is imported") if imported else ""
        unlocated = self.tr("imported without a location")

        def kept(text: str) -> str:
            return f"{text}; {left_empty}" if left_empty else text

        if code == "not_finite":
            return kept(self.tr("is not a finite number"))
        if code == "not_number":
            return kept(self.tr("is not a number"))
        if code == "not_whole":
            return kept(self.tr("is not a whole number of employees"))
        if code == "negative":
            return kept(self.tr("is negative; employees must be 0 or more"))
        if code == "negative_volume":
            return kept(self.tr("is negative; a yearly volume is 0 or more"))
        if code == "too_much_money":
            return kept(self.tr("is more than 10^15 roubles; check the column's units"))
        if code == "too_many_employees":
            return kept(self.tr("is more employees than any organisation has (over %1)").arg(q["limit"]))
        if code == "not_date":
            return kept(self.tr("is not a date (use YYYY-MM-DD or DD.MM.YYYY)"))
        if code in ("inn_scientific", "inn_number"):
            return kept(
                self.tr("looks like an INN a spreadsheet turned into a number; format the column as text")
            )
        if code == "inn_not_digits":
            return kept(self.tr("is not an INN (digits only)"))
        if code == "inn_length":
            text = self.tr("has %1 digits; an INN has 10 (organisation) or 12 (individual)").arg(
                q["digits"]
            )
            if q.get("leading_zero"):
                text += "; " + self.tr("a leading zero may have been lost")
            return kept(text)
        if code == "inn_check_digit":
            return self.tr("has a wrong check digit (a typo?); imported as given")
        if code == "not_roubles":
            return kept(self.tr("is not a sum of money (write 1 250 000,50 or 1,25 млн; н/д if unknown)"))
        if code == "not_yes_no":
            return kept(self.tr("is not yes or no (да/нет)"))
        if code in ("unknown_kind", "unknown_status", "unknown_industry", "unknown_special_territory"):
            return self.tr("is not a known value (%1)").arg(q.get("accepted", ""))
        if code == "too_long":
            return kept(self.tr("has %1 characters (at most %2)").arg(q["chars"], q["limit"]))
        if code == "empty_name":
            return self.tr("is empty; every member needs a name")
        if code == "duplicate_id":
            return self.tr("appears twice in the file (first in row %1); ids must be unique").arg(
                q["first"]
            )
        if code in ("coord_unreadable", "bad_coordinates"):
            return self.tr("cannot be read as a position; %1").arg(unlocated)
        if code == "coord_half":
            return self.tr("is missing while the other coordinate is given; %1").arg(unlocated)
        if code == "coord_range":
            return self.tr("is outside the range of a latitude or longitude; %1").arg(unlocated)
        if code == "coord_zero":
            return self.tr("is the 0,0 placeholder of a missing location; %1").arg(unlocated)
        if code == "swapped_on_request":
            return self.tr("had latitude and longitude swapped; swapped on request")
        if code == "swap_suspected":
            return self.tr(
                "is %1 km from the other members but %2 km with latitude and longitude swapped; "
                "imported as given"
            ).arg(q["km"], q["km_swapped"])
        if code == "swap_hint":
            return self.tr(
                "%1 row(s): latitude and longitude look swapped; tick “Swap latitude and longitude "
                "in flagged rows” to swap them",
                None,
                q["rows"],
            ).arg(q["rows"])
        if code == "latlon_order":
            return self.tr(
                "positions are read as [longitude, latitude]: the members centre near %1° N %2° E; "
                "if they belong near %2° N %1° E, the file is in [latitude, longitude] order: "
                "tick the swap box"
            ).arg(self.text.number(q["lat"], 2), self.text.number(q["lon"], 2))
        if code == "short_row":
            return self.tr(
                "has %1 fields but the header has %2 (a broken line?); the missing cells are read as empty"
            ).arg(q["fields"], q["width"])
        if code == "long_row":
            return self.tr("has %1 fields but the header has %2; the extra cells are ignored").arg(
                q["fields"], q["width"]
            )
        if code == "ambiguous_name":
            return self.tr(
                "matches several project members of the same name; not imported (add an INN or "
                "an id column)"
            )
        if code == "duplicate_inn":
            return self.tr("is the same INN as row %1; not imported twice").arg(q["first"])
        if code == "duplicate_match":
            return self.tr("matches the same project member as row %1; not imported twice").arg(q["first"])
        if code == "same_name":
            return self.tr("has the same name as row %1 (imported; check it is not a duplicate)").arg(
                q["first"]
            )
        if code == "cell_too_long":
            return self.tr(
                "has a cell longer than %1 characters (an unclosed quote?); the row is not imported"
            ).arg(q["limit"])
        if code == "bad_byte":
            return self.tr(
                "holds byte %1, which is not UTF-8 (the rest of the file is); the row is not imported"
            ).arg(q["byte"])
        if code == "unclosed_quote":
            return self.tr(
                "opens a quote that is never closed: file lines %1–%2 were read into this cell; "
                "the row is not imported and the lines after it are read again"
            ).arg(str(q["first"]), str(q["last"]))
        if code == "csv_row":
            return self.tr("cannot be read after the unclosed quote")
        if code == "formula_no_value":
            return self.tr(
                "is a formula with no saved value; open and save the file in Excel or LibreOffice, "
                "then import again; the row is not imported"
            )
        if code == "not_feature":
            return self.tr("is not a GeoJSON Feature")
        if code == "bad_properties":
            return self.tr("has properties that are not an object")
        if code in ("bad_geometry", "empty_geometry", "crs_failed"):
            return self.tr("is a geometry that cannot be read; %1").arg(unlocated)
        if code == "point_on_surface":
            return self.tr("is not a point; the member is placed at a point on it (%1, %2)").arg(
                self.text.number(q["lat"], 5), self.text.number(q["lon"], 5)
            )
        if code == "stopped":
            return self.stopped(q)
        return self.link_message(code, q)

    def link_message(self, code: str, q: dict[str, Any]) -> str:
        """A links table's row (io.links): its ends, dates and shares."""
        if code == "end_empty":
            return self.tr("is empty; give the member's name, INN or id")
        if code == "end_unmatched":
            return self.tr("matches no member (by id, INN or name)")
        if code == "end_ambiguous":
            n = int(q["count"])
            if q.get("inn"):
                text = self.tr("matches %1 member(s) by INN %2: %3", None, n).arg(n, q["inn"], q["names"])
            else:
                text = self.tr("matches %1 member(s) by name: %2", None, n).arg(n, q["names"])
            if q.get("more"):
                text += " " + self.tr("and %1 more").arg(q["more"])
            return text + "; " + self.tr("give the INN or id")
        if code == "before_start":
            return self.tr("is before the start (%1)").arg(q["start"])
        if code == "not_share":
            return self.tr("is not a share between 0 and 1")
        if code == "same_member":
            return self.tr("is the same member as the other end («%1»)").arg(q["name"])
        if code == "repeated_link":
            first = q["first"]
            if q.get("unit") == "feature":
                return self.tr("repeats feature %1 (same ends, kind and start): it updates it").arg(first)
            if q.get("unit") == "placemark":
                return self.tr("repeats placemark %1 (same ends, kind and start): it updates it").arg(first)
            return self.tr("repeats row %1 (same ends, kind and start): it updates it").arg(first)
        raise KeyError(code)

    def stopped(self, q: dict[str, Any]) -> str:
        reason = q.get("reason")
        if reason == "not_features":
            return self.tr("reading stopped: %1 items in a row (to item %2) are not GeoJSON Features").arg(
                q["count"], q["item"]
            )
        if reason == "max_features":
            return self.tr("reading stopped: the file has more than %1 features").arg(q["limit"])
        if reason == "max_rows":
            return self.tr("reading stopped: the layer has more than %1 rows").arg(q["limit"])
        if reason == "runaway":
            return self.tr(
                "reading stopped: the layer produced no row within %1 steps (a view that never "
                "finishes?), after %2 rows"
            ).arg(q["steps"], q["rows"])
        raise KeyError(f"stopped:{reason}")


def import_problem_line(
    problem: _Problem, text: Text, *, field_label: str = "", imported: bool = False
) -> str:
    """One line for ``problem``; ``imported`` says it is a warning (the row was imported)."""
    return ImportProblemText(text).line(problem, field_label, imported)
