"""BENCHMARKS.md's generated block: newest figure per name and size, targets, peer ratios, runs."""

import json

from benchmarks.report import BEGIN, END, generated_block, latest_figures


def figure(name, size, value, unit="ms", run="r1"):
    return {"name": name, "size": size, "value": value, "unit": unit, "load_avg": 1.0, "run": run}


def write_run(folder, run, figures):
    (folder / f"{run}.jsonl").write_text(
        "".join(json.dumps(f) + "\n" for f in figures), encoding="utf-8"
    )


def test_the_newest_run_wins_and_other_sizes_stay(tmp_path):
    write_run(tmp_path, "20261201T000000Z", [figure("match_inprocess_p95", "10k", 9.0)])
    write_run(
        tmp_path,
        "20261202T000000Z",
        [figure("match_inprocess_p95", "10k", 7.0), figure("match_inprocess_p95", "100k", 8.0)],
    )
    write_run(tmp_path, "20261203T000000Z", [figure("match_inprocess_p95", "100k", 6.0)])

    found = latest_figures(tmp_path)

    assert found[("match_inprocess_p95", "10k")]["value"] == 7.0
    assert found[("match_inprocess_p95", "100k")]["value"] == 6.0


def test_targets_ratios_and_each_runs_commit_are_shown():
    figures = {
        ("match_inprocess_p95", "100k"): figure("match_inprocess_p95", "100k", 40.0),
        ("peer_postgis_p95", "100k"): figure("peer_postgis_p95", "100k", 20.0),
        ("ingest_nppes_rate", "nppes 1M rows"): figure(
            "ingest_nppes_rate", "nppes 1M rows", 25_000, "rows/s", run="r2"
        ),
    }
    metas = [
        {
            "run": "r1",
            "started": "a",
            "finished": "b",
            "command": "one",
            "machine": {"commit": "c1"},
        },
        {
            "run": "r2",
            "started": "c",
            "finished": "d",
            "command": "two",
            "machine": {"commit": "c2"},
        },
    ]

    block = generated_block(figures, metas)

    assert block.startswith(BEGIN) and block.endswith(END)
    assert "| match_inprocess_p95 <= 30 | 100k | 40 ms | **no** | 1.0 |" in block
    assert "| ingest_nppes_rate >= 20,000 | nppes 1M rows | 25,000 rows/s | yes | 1.0 |" in block
    assert "| match_inprocess_p95 | 40 | ms | 1.0 | <= 30 | **no** | 2.00 |  |" in block
    assert "- `r1` (a to b UTC, commit c1): `one`" in block
    assert "- `r2` (c to d UTC, commit c2): `two`" in block
    assert "- commit: c2" in block  # the machine section is the newest run's
