"""Which file column holds which member field: the user's mapping first, then the vocabulary."""

from __future__ import annotations

from cluster_desk.io.errors import ImportFileError
from cluster_desk.io.vocabulary import IMPORT_FIELDS, field_of_header, norm

__all__ = ["MAX_COLUMNS", "map_columns"]

#: Columns read from a table; a sheet claiming 16,384 columns is read as this many.
MAX_COLUMNS = 200


def map_columns(
    headers: list[str], mapping: dict[str, str] | None, file_name: str
) -> tuple[dict[str, int], list[str]]:
    """Field -> column index, and the headers that were not used (the preview lists both).

    ``mapping`` (file header -> field, or -> "" to ignore a column) wins over the vocabulary.
    """
    by_header: dict[str, int] = {}
    for i, h in enumerate(headers):
        by_header.setdefault(norm(h), i)
    fields: dict[str, int] = {}
    skipped: set[int] = set()
    for column, field_name in (mapping or {}).items():
        if norm(column) not in by_header:
            shown = ", ".join(h[:40] for h in headers[:30])
            raise ImportFileError(f"{file_name}: no column '{column}' to map (columns: {shown})",
                                  "no_such_column", column=column, columns=shown)
        i = by_header[norm(column)]
        if not field_name:
            skipped.add(i)
            continue
        if field_name not in IMPORT_FIELDS:
            raise ImportFileError(f"{file_name}: cannot map column '{column}' to unknown field "
                                  f"'{field_name}' (fields: {', '.join(IMPORT_FIELDS)})",
                                  "unknown_field", column=column, field=field_name,
                                  fields=", ".join(IMPORT_FIELDS))
        fields[field_name] = i
    used = set(fields.values()) | skipped
    for i, header in enumerate(headers):
        known = field_of_header(header)
        if i not in used and known in IMPORT_FIELDS and known not in fields:
            fields[known] = i
            used.add(i)
    ignored = [h for i, h in enumerate(headers) if i not in fields.values() and h.strip()]
    if "name" not in fields:
        shown = ", ".join(h[:40] for h in headers[:30])
        raise ImportFileError(f"{file_name}: no name column (columns: {shown}); "
                              "name one 'name' or 'наименование', or map it with --map COLUMN=name",
                              "no_name_column", columns=shown)
    return fields, ignored
