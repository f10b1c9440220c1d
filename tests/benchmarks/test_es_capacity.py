"""The Elasticsearch capacity plan: its arithmetic on a pinned sample, and the bodies it emits."""

import json
from datetime import date

import pytest

from benchmarks.es_capacity import (
    REFERENCE,
    Assumptions,
    disk_bytes_per_doc,
    erlang_c,
    nearest_rank,
    pages_at,
    percentile_of,
    plan,
    primary_shards,
    wait_p95,
)
from benchmarks.es_plan import (
    END,
    START,
    readable_json,
    replace_section,
    run,
    sensitivity,
    variants,
)
from benchmarks.es_requests import bulk_lines, spec_errors
from benchmarks.es_sample import DocumentStats, document_stats
from search.mapping import index_body
from tests.search.spec_validation import request_errors

# 1,000 bytes per document on average, two documents per clinician.
PINNED = DocumentStats(
    clinicians=100,
    documents=200,
    in_person=150,
    telehealth=50,
    source_bytes=200_000,
    largest_bytes=1_500,
)


def test_document_stats_weigh_the_compact_json():
    docs = [{"visit": "in_person", "a": 1}, {"visit": "telehealth"}]

    stats = document_stats(1, docs)

    # '{"visit":"in_person","a":1}' is 27 bytes, '{"visit":"telehealth"}' 22.
    assert (stats.documents, stats.in_person, stats.telehealth) == (2, 1, 1)
    assert (stats.source_bytes, stats.largest_bytes, stats.mean_bytes) == (49, 27, 24.5)
    assert stats.per_clinician == 2.0


def test_disk_per_document_is_the_fixed_part_plus_the_json_with_headroom():
    assert disk_bytes_per_doc(PINNED, Assumptions()) == pytest.approx((61 + 1000) * 1.2)


def test_shards_stay_one_until_the_size_ceiling_then_split():
    a = Assumptions()

    assert [primary_shards(gb, a) for gb in (0.5, 12.0, 50.0, 50.1, 240.0)] == [1, 1, 1, 2, 5]


def test_percentiles_interpolate_between_the_three_published_ones():
    assert percentile_of(0.5, 10, 20, 110) == 10
    assert percentile_of(0.7, 10, 20, 110) == pytest.approx(15)
    assert percentile_of(0.9, 10, 20, 110) == 20
    assert percentile_of(0.95, 10, 20, 110) == pytest.approx(70)
    assert percentile_of(0.999, 10, 20, 110) == pytest.approx(110)  # capped at p99


def test_pages_scale_the_sample_matches_by_density_and_stop_at_ten():
    # 10,000 sample documents stand for 10M listings: one sample match is 1,000 listings.
    assert pages_at(0, 10_000, 10_000_000) == 1
    assert pages_at(1, 10_001, 10_000_000) == 1  # 999.9 listings: one short page
    assert pages_at(1, 10_000, 10_000_000) == 2  # exactly one full page, then an empty one
    assert pages_at(9, 10_000, 10_000_000) == 10
    assert pages_at(10, 10_000, 10_000_000) == 10  # MAX_CANDIDATES reached: no eleventh page
    assert pages_at(500, 10_000, 10_000_000) == 10


def test_nearest_rank():
    values = [5, 1, 4, 2, 3, 10, 7, 6, 9, 8]

    assert [nearest_rank(values, q) for q in (0.1, 0.5, 0.95, 1.0)] == [1, 5, 10, 10]


def test_erlang_c_matches_the_textbook_values():
    assert erlang_c(1, 0.5) == pytest.approx(0.5)  # M/M/1: the utilization
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)


def test_no_queueing_allowance_when_fewer_than_one_in_twenty_wait():
    assert wait_p95(8, 0.43, 18.5) == 0.0
    # One server at 50%: half wait; P(wait > t) = 0.5 exp(-t/20 ms) = 0.05 at 20 ln 10 ms.
    assert wait_p95(1, 0.5, 10.0) == pytest.approx(20 * 2.302585, rel=1e-6)


# Half the requests fit one page, 40% need three, 10% the full ten.
PAGES = [1] * 10 + [3] * 8 + [10] * 2


def test_the_plan_for_ten_million_listings_is_consistent():
    p = plan(PINNED, Assumptions(), PAGES)

    assert p.primary_gb == pytest.approx(10_000_000 * 1273.2 / 1e9)  # 12.732 GB
    assert (p.primary_shards, p.docs_per_shard) == (1, 10_000_000)
    # The reference's 5 shards held 12,168,881 points each; our query costs 3x.
    assert REFERENCE.docs_per_shard == pytest.approx(12_168_880.8)
    scale = 10_000_000 / 12_168_880.8 * 3
    assert p.shard_p50_ms == pytest.approx(37.4915 * scale)  # 92.43 ms
    assert p.shard_p99_ms == pytest.approx(88.8572 * scale)
    assert p.copy_throughput == pytest.approx(8 * 0.6 * 1000 / p.shard_p50_ms)  # 51.9/s
    assert (p.mean_pages, p.pages_p95) == (2.7, 10)
    assert p.shard_searches_per_second == pytest.approx(2700)
    # ceil(2700 / 51.9) = 52 copies for the load, one spare.
    assert (p.copies, p.replicas, p.nodes) == (53, 52, 53)
    assert (p.heap_gb, p.page_cache_gb) == (16, 16)
    busy = 2700 / 53 * p.shard_p50_ms / 8000  # 59% of each node's 8 vCPUs
    assert p.wait_p95_ms == pytest.approx(wait_p95(8, busy, p.shard_p50_ms))
    assert round(p.wait_p95_ms, 1) == 26.4
    page = percentile_of(0.95, p.shard_p50_ms, p.shard_p90_ms, p.shard_p99_ms) + 2.0
    assert p.page_p95_ms == pytest.approx(page + p.wait_p95_ms)
    assert p.p95_ms == pytest.approx(10 * page + p.wait_p95_ms)
    assert (round(p.page_p95_ms, 1), round(p.p95_ms, 1)) == (195.8, 1720.2)


def test_one_page_per_request_needs_fewer_than_half_the_copies():
    p = plan(PINNED, Assumptions(), [1] * 20)

    assert (p.copies, p.nodes) == (21, 21)  # ceil(1000 / 51.9) + 1
    assert (round(p.wait_p95_ms, 1), round(p.p95_ms, 1)) == (16.1, 185.5)


def test_a_bigger_index_splits_and_waits_on_its_slowest_shard():
    p = plan(PINNED, Assumptions(listings=200_000_000, node_ram_gb=64), PAGES)

    assert (p.primary_shards, p.docs_per_shard, p.heap_gb) == (6, 33_333_334, 31)
    slowest = percentile_of(0.95 ** (1 / 6), p.shard_p50_ms, p.shard_p90_ms, p.shard_p99_ms)
    assert p.page_p95_ms == pytest.approx(slowest + 2.0 + p.wait_p95_ms)
    assert p.nodes == 6 * p.copies


def test_the_section_replaces_only_what_lies_between_the_markers():
    text = f"before\n{START}\nold\n{END}\nafter\n"

    assert replace_section(text, "new") == f"before\n{START}\nnew\n{END}\nafter\n"


def test_every_emitted_body_is_valid_and_built_from_the_bench_mix(tmp_path):
    markdown, emitted = run(40, 1, date(2026, 12, 5), tmp_path)

    assert len(emitted) == 200
    assert all(request_errors("search", e.body) == [] for e in emitted)
    assert sum(e.matched for e in emitted) > 0
    first = emitted[0]
    assert first.body["size"] == 1000 and first.body["track_total_hits"] is False
    assert "search_after" not in first.body
    assert readable_json(first.body) in markdown
    assert "| primary shards | 1 |" in markdown


def test_the_sensitivity_table_varies_only_cost_and_paging():
    a = Assumptions()

    plans = variants(PINNED, a, PAGES)

    assert list(plans) == [
        (1.0, "as built"),
        (1.0, "one page"),
        (3.0, "as built"),
        (3.0, "one page"),
    ]
    assert plans[(3.0, "as built")] == plan(PINNED, a, PAGES)
    assert plans[(1.0, "one page")].shard_p50_ms == pytest.approx(
        37.4915 * 10_000_000 / 12_168_880.8
    )
    table = sensitivity(plans)
    assert "| 3x | as built | 53 | 196 ms | 1720 ms |" in table
    assert "| 3x | one page | 21 | 185 ms | 185 ms |" in table


def test_a_document_the_strict_mapping_rejects_is_reported():
    good = {"visit": "in_person", "doc_key": "1-1", "clinician_id": 1}
    bad = {"visit": "in_person", "doc_key": "1-2", "clinician_id": 1, "favourite_colour": "red"}

    errors = spec_errors([], index_body(), bulk_lines([good, bad], "clinicians"))

    assert len(errors) == 1 and errors[0].startswith("1-2: ")


def test_readable_json_keeps_short_parts_on_one_line_and_parses_back():
    body = {"query": {"term": {"visit": {"value": "in_person"}}}, "size": 1000}
    long = {"terms": {"network_ids": [f"network-{n}" for n in range(12)]}}

    assert readable_json(body) == json.dumps(body)
    text = readable_json(long, width=40)
    assert text.splitlines()[:2] == ["{", ' "terms": {']
    assert json.loads(text) == long
