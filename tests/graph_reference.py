"""Connected components written out one link at a time: the reference the network's tests
(tests/core/test_network_*.py) hold core.network.components to."""

from __future__ import annotations

from collections.abc import Iterable


def components_by_walk(n: int, ends: Iterable[tuple[int, int]]) -> tuple[int, list[int]]:
    """(count, label per row) of the undirected graph of ``n`` rows and ``ends``; each component
    numbered by its first row, as scipy numbers them."""
    neighbours: list[set[int]] = [set() for _ in range(n)]
    for a, b in ends:
        neighbours[a].add(b)
        neighbours[b].add(a)
    labels, count = [-1] * n, 0
    for start in range(n):
        if labels[start] < 0:
            labels[start], todo = count, [start]
            while todo:
                for nb in neighbours[todo.pop()]:
                    if labels[nb] < 0:
                        labels[nb] = count
                        todo.append(nb)
            count += 1
    return count, labels
