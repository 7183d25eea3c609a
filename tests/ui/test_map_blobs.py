"""The binary blobs the map page fetches (ui/map/blobs.py): layout, text parts, code tables, and
a store that serves each blob once. The page side is tested in test_ui_open_paint.py."""

from __future__ import annotations

import numpy as np
import pytest

from cluster_desk.ui.map import blobs
from cluster_desk.ui.map.blobs import BlobStore, Text, code_part, pack, text_part


def test_parts_sit_at_aligned_offsets_and_read_back() -> None:
    lat = np.array([55.5, 56.25, -1.0])
    kind = np.array([0, 3, 1], dtype=np.uint8)
    lat32 = np.array([1.5, 2.5], dtype=np.float32)
    slots = np.array([7, -1], dtype=np.int32)
    names = text_part(["Завод «Ока»", "", "B"])
    assert names is not None
    data, layout = pack({"kind": kind, "lat": lat, "name": names, "lat32": lat32, "slots": slots})
    assert layout["kind"] == [0, 3, "u8"] and layout["lat"] == [8, 3, "f64"]
    assert layout["name"][2:] == ["text", 3]
    for name, (offset, _size, *_rest) in layout.items():
        assert offset % 8 == 0, name
    offset, size, _ = layout["lat"]
    assert np.frombuffer(data, "<f8", size, offset).tolist() == lat.tolist()
    offset, size, _, count = layout["name"]
    assert data[offset:offset + size].decode().split("\x00") == ["Завод «Ока»", "", "B"] and count == 3
    offset, size, _ = layout["slots"]
    assert np.frombuffer(data, "<i4", size, offset).tolist() == [7, -1]
    # Big-endian input goes out little-endian, as the page reads it.
    data, layout = pack({"x": np.array([1.0, 2.0], dtype=">f8")})
    assert np.frombuffer(data, "<f8").tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match="unsupported"):
        pack({"x": np.array([1], dtype=np.int64)})


def test_text_a_blob_cannot_carry_is_refused() -> None:
    assert text_part(["a\x00b", "c"]) is None  # would split into three
    assert text_part(["\ud800"]) is None  # a lone surrogate has no UTF-8
    assert text_part([]) == Text(b"", 0)
    assert text_part([""]) == Text(b"", 1)


def test_a_text_column_goes_as_its_own_blob() -> None:
    """A TextColumn as read (a snapshot's names) is sent as its blob with NUL for separator, no
    str made per value (issue 17: a million names joined from strs held ~150 MB at the paint);
    the same bytes as from its values. A NUL inside a value is refused as for a list, and a
    column changed since it was read goes through its values."""
    from cluster_desk.core.tables import TextColumn

    values = ["Завод «Ока»", "", "B", "日本", ""]
    column = TextColumn.of(values)
    assert column is not None
    assert text_part(column) == text_part(values) == Text("\x00".join(values).encode(), 5)
    assert text_part(TextColumn(b"", 0)) == Text(b"", 0) and text_part(TextColumn(b"", 1)) == Text(b"", 1)
    nul = TextColumn.of(["a\x00b", "c"])
    assert nul is not None and text_part(nul) is None
    column[1] = "новое"
    assert text_part(column) == text_part([*values[:1], "новое", *values[2:]])


def test_code_tables() -> None:
    table, codes = code_part(["firm", "education", "firm", "firm"]) or ([], np.zeros(0))
    assert table == ["firm", "education"] and codes.tolist() == [0, 1, 0, 0] and codes.dtype == np.uint8
    assert code_part([str(i) for i in range(256)]) is None


def test_a_blob_is_served_once_and_old_ones_go() -> None:
    store = BlobStore()
    token = store.put(b"abc")
    assert len(token) == 32 and store.put(b"abc") != token
    assert store.take(token) == b"abc" and store.take(token) is None and store.served == 1
    tokens = [store.put(bytes([i])) for i in range(blobs.KEEP + 3)]
    assert len(store) == blobs.KEEP
    assert store.take(tokens[0]) is None and store.take(tokens[-1]) == bytes([blobs.KEEP + 2])


def test_parts_sent_in_one_go_are_one_bundle_served_once() -> None:
    """An open's members and links: one token, the second command's parts laid out after the
    first's; the bytes are made when the page fetches it. Parts added after that (or after the
    event loop turned: close) go in a new one."""
    store = BlobStore()
    lat = np.array([55.5, 56.25, -1.0])
    token, members = store.add({"lat": lat, "kind": np.array([1, 2, 3], dtype=np.uint8)})
    names = text_part(["Ока", ""])
    assert names is not None
    again, links = store.add({"src": np.array([0, 2], dtype=np.int32), "name": names})
    assert again == token and links["src"][0] == 32 and members["lat"][0] == 0
    data = store.take(token)
    assert data is not None and store.take(token) is None and store.served == 1
    raw = bytes(data)
    assert np.frombuffer(raw, "<f8", 3, 0).tolist() == lat.tolist()
    assert np.frombuffer(raw, "<i4", 2, 32).tolist() == [0, 2]
    offset, size, _, count = links["name"]
    assert raw[offset:offset + size].decode().split("\x00") == ["Ока", ""] and count == 2
    later, _ = store.add({"x": lat})
    assert later != token
    store.close()
    assert store.add({"x": lat})[0] != later
