"""The bench page's helpers (bench/growth.py, bench/run_bench.py): growth exponents fitted on
synthetic figures, the runner's arguments for plain scripts, and the page it writes."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import run_bench
from growth import exponent, exponents, verdict


@pytest.mark.parametrize("power", [0.0, 0.5, 1.0, 1.3, 2.0])
def test_exponent_recovers_the_power_of_an_exact_law(power: float) -> None:
    sizes = [1_000, 10_000, 100_000, 1_000_000]
    assert exponent([(n, 3e-6 * n**power) for n in sizes]) == pytest.approx(power, abs=1e-9)


def test_exponent_is_the_least_squares_slope_of_noisy_points() -> None:
    # In log10: x = 3, 4, 5 and y = -3, -1.9, -1.05. By hand: mean y = -1.98333; the slope is
    # sum (x - 4)(y - mean y) / sum (x - 4)^2 = ((-1)(-1.01667) + (1)(0.93333)) / 2 = 0.975.
    points = [(1e3, 10**-3), (1e4, 10**-1.9), (1e5, 10**-1.05)]
    assert exponent(points) == pytest.approx(0.975, abs=1e-9)


def test_exponent_needs_two_distinct_positive_sizes() -> None:
    assert exponent([]) is None
    assert exponent([(1000, 0.1), (1000, 0.2)]) is None
    assert exponent([(1000, 0.1), (10_000, 0.0)]) is None  # no log of 0: one point left
    assert exponent([(0, 0.1), (10_000, 1.0)]) is None


def test_exponents_groups_by_work_and_fits_only_times() -> None:
    rows = [
        {"work": "open", "size": 1000, "ours": 0.01},
        {"work": "open", "size": 10_000, "ours": 0.1},
        {"work": "open", "size": 100_000, "ours": 1.0},
        {"work": "memory", "size": 1000, "ours": 10.0, "unit": "MB"},
        {"work": "memory", "size": 100_000, "ours": 900.0, "unit": "MB"},
        {"work": "start", "size": 1, "ours": 1.5},
        {"work": "frozen", "size": 1000, "ours": None},
        {"work": "frozen", "size": 10_000, "ours": None},
        {"work": "sort", "size": 10_000, "ours": 0.01},
        {"work": "sort", "size": 100_000, "ours": 0.4},
    ]
    got = exponents(rows)
    assert list(got) == ["open", "sort"]
    assert got["open"] == (pytest.approx(1.0), pytest.approx(1.0), [1000, 10_000, 100_000])
    assert got["sort"].overall == got["sort"].top == pytest.approx(math.log10(40))


def test_the_top_decade_shows_what_fixed_costs_hide() -> None:
    # 1 s of start-up plus 10 µs per member: flat at first, linear at the top
    rows = [{"work": "open", "size": n, "ours": 1.0 + 1e-5 * n} for n in (1000, 10_000, 100_000, 1_000_000)]
    g = exponents(rows)["open"]
    assert g.overall < 0.5
    assert g.top == pytest.approx(math.log10(11 / 2), abs=1e-9)  # 2 s -> 11 s over the top decade
    assert verdict(g.overall).startswith("sublinear")


def test_verdict_words() -> None:
    assert verdict(1.02) == "linear"
    assert verdict(0.4).startswith("sublinear")
    assert verdict(-0.1) == verdict(0.1) == "about constant"
    assert verdict(1.4) == "superlinear"
    assert "look here" in verdict(2.0)


def test_plain_scripts_get_the_run_sizes_capped() -> None:
    sizes = [1000, 10_000, 100_000, 1_000_000]
    assert run_bench.plain_args("bench_roster.py", sizes) == [["--n", "1000"], ["--n", "10000"],
                                                              ["--n", "100000"]]
    assert run_bench.plain_args("bench_timeline.py", sizes) == [["--members", "100000"]]
    assert run_bench.plain_args("bench_basemap.py", sizes) == [[]]  # no sizes: its own defaults
    capped = [["--members", "100000", "--links", "300000"]]
    assert run_bench.plain_args("bench_network.py", [2_000_000]) == capped


def test_every_plain_script_named_exists_and_takes_no_results() -> None:
    for name in run_bench.SCRIPT_ARGS:
        path = run_bench.BENCH / name
        assert path.is_file(), name
        assert not run_bench.has_results(path), f"{name} has results(): its arguments would be ignored"


def test_page_has_the_table_the_ratio_and_the_growth_table() -> None:
    rows = [
        {"work": "app: open -> painted", "size": 10_000, "ours": 0.5, "peer": "QGIS load+render",
         "peer_value": 0.25},
        {"work": "app: open -> painted", "size": 100_000, "ours": 5.0, "peer": "QGIS not installed",
         "peer_value": None},
        {"work": "app: frozen start", "size": 1, "ours": None, "peer": "no frozen build", "peer_value": None},
    ]
    text = run_bench.page(rows, {"bench_x.py": "exit code 1"}, {"bench_x.py": 12.0}, ((1.0, 1, 1), (2, 2, 2)),
                          [10_000, 100_000])
    assert "| app: open -> painted | 10,000 | 500.00 ms | QGIS load+render | 250.00 ms | 2× |" in text
    assert "| app: open -> painted | 100,000 | 5.00 s | QGIS not installed | — | — |" in text
    assert "| app: frozen start | 1 | — | no frozen build | — | — |" in text
    assert "| app: open -> painted | 10k, 100k | 1.00 | 1.00 | linear |" in text
    assert "| bench_x.py | 12 s | exit code 1 |" in text


def test_growth_page_has_a_column_per_size_and_flags_what_grows_too_fast() -> None:
    from growth import TOO_FAST, growth_page

    sizes = [1_000, 10_000, 100_000, 1_000_000]
    rows = [{"work": "growth: linear work", "size": n, "ours": 2e-6 * n} for n in sizes]
    rows += [{"work": "growth: quadratic work", "size": n, "ours": 1e-9 * n * n} for n in sizes[:3]]
    text = growth_page(rows, ((1.0, 1.0, 1.0), (2.0, 2.0, 2.0)), "now")
    assert "| work | 1,000 | 10,000 | 100,000 | 1,000,000 | exponent (all) | top decade | reads as |" in text
    assert "| linear work | 2.0 ms | 20.0 ms | 200.0 ms | 2.00 s | 1.00 | 1.00 | linear |" in text
    assert (f"| quadratic work | 1.0 ms | 100.0 ms | 10.00 s | — | 2.00 | 2.00 | worse than n^1.5: look here "
            f"**> {TOO_FAST}** |") in text
    assert "before: (1.0, 1.0, 1.0), after: (2.0, 2.0, 2.0)" in text


def test_the_growth_bench_takes_part_in_make_bench() -> None:
    assert run_bench.has_results(run_bench.BENCH / "bench_growth.py")


def test_an_earlier_runs_rows_fill_the_sizes_and_works_not_timed_again() -> None:
    from growth import with_earlier

    now = [{"work": "growth: a", "size": n, "ours": 1e-6 * n} for n in (1_000, 10_000)]
    earlier = [{"work": "growth: a", "size": 10_000, "ours": 99.0},  # timed again: this run's wins
               {"work": "growth: a", "size": 1_000_000, "ours": 1.0},
               {"work": "growth: b", "size": 1_000_000, "ours": 2.0}]
    got = with_earlier(now, earlier)
    assert got == [*now, earlier[1], earlier[2]]
    assert exponents(got)["growth: a"].overall == pytest.approx(1.0)
