"""An Elasticsearch capacity plan for 10M listings at 1,000 searches/s, on paper.

No Elasticsearch server runs here, so nothing below is measured against one. What is measured
is the documents: a seeded demo directory (`benchmarks.es_sample`) is turned into index
documents by the backend's own code and weighed. Everything else is arithmetic over stated
assumptions and over published Rally figures (REFERENCE), each named where it is used, so a
better figure replaces one constant. `make bench-es` writes the result into BENCHMARKS.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.es_sample import DocumentStats
from search.backend import MAX_CANDIDATES, PAGE_SIZE

GB = 1_000_000_000


@dataclass(frozen=True)
class RallyReference:
    """One published Rally task result: the corpus it ran on and its service times."""

    source: str
    task: str
    documents: int
    shards: int
    source_bytes: int  # the corpus's uncompressed JSON
    store_bytes: int  # the index's store size after the run
    p50_ms: float
    p90_ms: float
    p99_ms: float

    @property
    def docs_per_shard(self) -> float:
        """Documents each shard search of the reference went through."""
        return self.documents / self.shards


# elastic/rally-tracks geopoint/track.json: 60,844,404 PlanetOSM points, 2,448,564,579 bytes of
# JSON; geopoint/index.json: 5 shards by default, request cache off. Task distanceFilterSort
# (geopoint/operations/default.json): a geo_distance filter of 400 km around (7, 55), top 10,
# sorted on an unmapped field with ignore_unmapped (so in effect unsorted). Service times and
# store size from a published race report (yunomix2834/elastic-ha-cluster,
# docker-2-haproxy/rally-work/rally-report-geopoint.md; one client; hardware, version and
# shard count not stated there, so the track's default of 5 is assumed).
REFERENCE = RallyReference(
    source="Rally geopoint, distanceFilterSort (published race report)",
    task="distanceFilterSort",
    documents=60_844_404,
    shards=5,
    source_bytes=2_448_564_579,
    store_bytes=6_154_830_000,
    p50_ms=37.4915,
    p90_ms=41.6877,
    p99_ms=88.8572,
)


@dataclass(frozen=True)
class Assumptions:
    """Every figure the plan assumes rather than measures."""

    listings: int = 10_000_000
    requests_per_second: int = 1_000
    # Disk per document = fixed bytes + ratio x its JSON, then merge/deleted-docs headroom.
    # The fixed part is geopoint's store per document less its ~40-byte source, rounded.
    fixed_bytes_per_doc: int = 61
    bytes_per_source_byte: float = 1.0
    disk_headroom: float = 1.2
    shard_max_gb: float = 50.0
    shard_min_gb: float = 10.0
    # Our query against the reference's: ~10 filters, scored should clauses, a decay function
    # and 1,000 `_source` documents fetched per page, against one geo filter and a sort.
    query_complexity: float = 3.0
    node_vcpus: int = 8
    node_ram_gb: int = 32
    cpu_target: float = 0.6  # utilization the busiest node may reach at the design load
    spare_nodes: int = 1  # copies beyond the load, so losing a node keeps the target
    coordination_ms: float = 2.0  # coordinating node: parse, merge, serialize


@dataclass(frozen=True)
class Plan:
    """The capacity plan's figures."""

    primary_gb: float
    primary_shards: int
    docs_per_shard: int
    shard_p50_ms: float
    shard_p90_ms: float
    shard_p99_ms: float
    copy_throughput: float  # shard searches per second one copy serves at cpu_target
    mean_pages: float  # page searches per request over the mix, at the target size
    pages_p95: int
    shard_searches_per_second: float
    copies: int
    replicas: int
    nodes: int
    heap_gb: int
    page_cache_gb: int
    copy_gb: float
    wait_p95_ms: float
    page_p95_ms: float  # one page search
    p95_ms: float  # one request of the mix: its pages one after another


def disk_bytes_per_doc(stats: DocumentStats, a: Assumptions) -> float:
    """Estimated on-disk bytes one listing takes in a primary shard."""
    raw = a.fixed_bytes_per_doc + a.bytes_per_source_byte * stats.mean_bytes
    return raw * a.disk_headroom


def primary_shards(primary_gb: float, a: Assumptions) -> int:
    """Fewest shards under the size ceiling; an index under the floor stays in one shard,
    since every geo search fans out to every shard (listings are not routed by place)."""
    return max(1, math.ceil(primary_gb / a.shard_max_gb))


def shard_time(reference_ms: float, docs_per_shard: int, a: Assumptions) -> float:
    """A reference service time scaled by documents per shard and by query complexity (the
    reference's shards ran in parallel, so its request time is one shard's)."""
    return reference_ms * (docs_per_shard / REFERENCE.docs_per_shard) * a.query_complexity


def pages_at(matched: int, sample_documents: int, listings: int) -> int:
    """Page searches one request makes once the index holds `listings`: its sample matches
    scaled by density (listings over sample documents), 1,000 a page, at most 10 pages."""
    expected = matched * listings / sample_documents
    return min(MAX_CANDIDATES // PAGE_SIZE, int(expected // PAGE_SIZE) + 1)


def nearest_rank(values: Sequence[float], q: float) -> float:
    """The q-quantile of `values` by the nearest-rank rule."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def percentile_of(q: float, p50: float, p90: float, p99: float) -> float:
    """The q-quantile (0.5 <= q <= 0.99) by linear interpolation between three quantiles."""
    if q <= 0.9:
        return p50 + (p90 - p50) * (q - 0.5) / 0.4
    return p90 + (p99 - p90) * (min(q, 0.99) - 0.9) / 0.09


def erlang_c(servers: int, offered: float) -> float:
    """Probability that a search waits for a free search thread (M/M/c, offered load in Erlangs)."""
    term, total = 1.0, 1.0
    for k in range(1, servers):
        term *= offered / k
        total += term
    last = term * offered / servers / (1 - offered / servers)
    return last / (total + last)


def wait_p95(servers: int, utilization: float, service_ms: float) -> float:
    """95th percentile of the queueing wait, ms (zero when fewer than 5% wait)."""
    waits = erlang_c(servers, servers * utilization)
    if waits <= 0.05:
        return 0.0
    drain_per_ms = servers * (1 - utilization) / service_ms
    return math.log(waits / 0.05) / drain_per_ms


def plan(stats: DocumentStats, a: Assumptions, pages: Sequence[int]) -> Plan:
    """Shards, replicas, nodes, heap and expected p95 for `a`, from the measured documents and
    the page searches each request of the mix makes at the target size."""
    primary_gb = a.listings * disk_bytes_per_doc(stats, a) / GB
    shards = primary_shards(primary_gb, a)
    docs_per_shard = math.ceil(a.listings / shards)
    p50, p90, p99 = (
        shard_time(ms, docs_per_shard, a)
        for ms in (REFERENCE.p50_ms, REFERENCE.p90_ms, REFERENCE.p99_ms)
    )
    # One copy per node: the node's cores run that copy's shard searches, one thread each.
    copy_throughput = a.node_vcpus * a.cpu_target * 1000 / p50
    mean_pages = sum(pages) / len(pages)
    demand = a.requests_per_second * mean_pages  # every shard sees every page search
    copies = math.ceil(demand / copy_throughput) + a.spare_nodes
    heap = min(a.node_ram_gb // 2, 31)
    # Fan-out: a request is as slow as its slowest shard, so its p95 is each shard's 0.95^(1/n).
    slowest = percentile_of(0.95 ** (1 / shards), p50, p90, p99)
    utilization = demand / copies * p50 / (1000 * a.node_vcpus)  # the load over every copy
    wait = wait_p95(a.node_vcpus, utilization, p50)
    page_p95 = slowest + a.coordination_ms
    pages_p95 = int(nearest_rank(pages, 0.95))
    return Plan(
        primary_gb=primary_gb,
        primary_shards=shards,
        docs_per_shard=docs_per_shard,
        shard_p50_ms=p50,
        shard_p90_ms=p90,
        shard_p99_ms=p99,
        copy_throughput=copy_throughput,
        mean_pages=mean_pages,
        pages_p95=pages_p95,
        shard_searches_per_second=demand,
        copies=copies,
        replicas=copies - 1,
        nodes=shards * copies,
        heap_gb=heap,
        page_cache_gb=a.node_ram_gb - heap,
        copy_gb=primary_gb / shards,
        wait_p95_ms=wait,
        page_p95_ms=page_p95 + wait,
        # An upper bound: the p95 request's pages, each at the page p95.
        p95_ms=pages_p95 * page_p95 + wait,
    )
