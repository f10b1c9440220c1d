"""`make bench-es`: weigh the sample's documents, plan the cluster, write BENCHMARKS.md's section.

Steps: generate a seeded demo directory of `--clinicians` (1,000 by default: seconds of CPU,
the machine is shared), build its index documents with the backend's code, compute the plan
(benchmarks.es_capacity), build the search body for each of the 200 needs of the bench mix,
check every body against the Elasticsearch spec (a violation stops the run, nothing written),
then replace the text between the section's markers in BENCHMARKS.md and write every body to
benchmarks/results/es-requests.ndjson.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path

from benchmarks.common import RESULTS_DIR, ROOT, log
from benchmarks.es_capacity import (
    REFERENCE,
    Assumptions,
    Plan,
    disk_bytes_per_doc,
    pages_at,
    plan,
)
from benchmarks.es_requests import (
    Emitted,
    bulk_lines,
    mix_bodies,
    representatives,
    search_requests,
    spec_errors,
    write_ndjson,
)
from benchmarks.es_sample import DocumentStats, document_stats, sample_app, sample_documents
from search.backend import PAGE_SIZE

START, END = "<!-- es-plan:start -->", "<!-- es-plan:end -->"
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"


def readable_json(value, indent: int = 0, width: int = 100) -> str:
    """JSON with each object or list on one line when it fits in `width`, else one item a line."""
    flat = json.dumps(value)
    if len(flat) + indent <= width or not isinstance(value, dict | list) or not value:
        return flat
    inner = " " * (indent + 1)
    if isinstance(value, dict):
        items = [
            f"{json.dumps(k)}: {readable_json(v, indent + 1, width)}" for k, v in value.items()
        ]
        opening, closing = "{", "}"
    else:
        items = [readable_json(v, indent + 1, width) for v in value]
        opening, closing = "[", "]"
    body = ",\n".join(inner + item for item in items)
    return f"{opening}\n{body}\n{' ' * indent}{closing}"


def plan_rows(stats: DocumentStats, a: Assumptions, p: Plan) -> list[tuple[str, str, str]]:
    """(figure, value, how it is obtained) for the table."""
    ref = REFERENCE
    return [
        ("sample", f"{stats.clinicians:,} clinicians, {stats.documents:,} documents "
         f"({stats.in_person:,} in person, {stats.telehealth:,} telehealth)", "measured"),
        ("documents per clinician", f"{stats.per_clinician:.2f}", "measured"),
        ("mean document (`_source` JSON)", f"{stats.mean_bytes:,.0f} B "
         f"(largest {stats.largest_bytes:,} B)", "measured"),
        ("disk per listing", f"{disk_bytes_per_doc(stats, a):,.0f} B",
         f"({a.fixed_bytes_per_doc} B + {a.bytes_per_source_byte:g} x JSON) x "
         f"{a.disk_headroom:g} headroom: assumed"),
        ("listings", f"{a.listings:,}", "target"),
        ("primary size", f"{p.primary_gb:.1f} GB", "listings x disk per listing"),
        ("primary shards", f"{p.primary_shards}",
         f"ceil(size / {a.shard_max_gb:g} GB); every search fans out to every shard"),
        ("documents per shard", f"{p.docs_per_shard:,}", "listings / shards"),
        ("shard search p50 / p90 / p99", f"{p.shard_p50_ms:.1f} / {p.shard_p90_ms:.1f} / "
         f"{p.shard_p99_ms:.1f} ms", f"{ref.task} {ref.p50_ms:g} / {ref.p90_ms:g} / "
         f"{ref.p99_ms:g} ms x docs per shard / {ref.docs_per_shard:,.0f} x "
         f"{a.query_complexity:g}: assumed scaling"),
        ("page searches per request", f"mean {p.mean_pages:.2f}, p95 {p.pages_p95}",
         "each need's sample matches x listings / sample documents, 1,000 a page, max 10"),
        ("shard searches per second", f"{p.shard_searches_per_second:,.0f}",
         f"{a.requests_per_second:,} req/s x mean pages"),
        ("throughput of one copy", f"{p.copy_throughput:,.0f} /s",
         f"{a.node_vcpus} vCPU x {a.cpu_target:g} utilization / shard p50"),
        ("copies per shard", f"{p.copies}", f"ceil(demand / copy) + {a.spare_nodes} spare"),
        ("replicas", f"{p.replicas}", "copies - 1 (`number_of_replicas`)"),
        ("nodes", f"{p.nodes} x {a.node_vcpus} vCPU, {a.node_ram_gb} GB RAM",
         "one shard copy per node"),
        ("heap", f"{p.heap_gb} GB", "min(50% of RAM, 31 GB)"),
        ("page cache vs copy", f"{p.page_cache_gb} GB vs {p.copy_gb:.1f} GB",
         "the copy fits in memory" if p.copy_gb <= p.page_cache_gb else "does NOT fit"),
        ("queueing wait p95", f"{p.wait_p95_ms:.1f} ms", "M/M/c (Erlang C) per node"),
        ("expected page search p95", f"{p.page_p95_ms:.1f} ms",
         f"slowest of {p.primary_shards} shard(s) at p95 + wait + {a.coordination_ms:g} ms "
         "coordination"),
        ("expected request p95 (mix)", f"{p.p95_ms:.1f} ms",
         "p95 pages x page p95 + wait: an upper bound"),
    ]  # fmt: skip


def section(stats: DocumentStats, a: Assumptions, p: Plan, emitted: list[Emitted], **bodies) -> str:
    """The markdown between the markers."""
    table = ["| figure | value | from |", "|---|---|---|"]
    table += [f"| {f} | {v} | {how} |" for f, v, how in plan_rows(stats, a, p)]
    parts = ["\n".join(table), sensitivity(bodies["variants"])]
    parts.append(
        f"Index creation body (`search.mapping.index_body(replicas={p.replicas})`; the plan's "
        f"shard count goes in `number_of_shards`, today fixed at 1):\n\n```json\n"
        f"{readable_json(bodies['index_body'])}\n```"
    )
    for item in representatives(emitted):
        parts.append(
            f"Search body for needs `{json.dumps(item.needs)}` (first page; the next pages add "
            f"`search_after` with the last hit's `sort` values):\n\n```json\n"
            f"{readable_json(item.body)}\n```"
        )
    return "\n\n".join(parts)


def variants(stats: DocumentStats, a: Assumptions, pages: list[int]) -> dict[tuple, Plan]:
    """The plan under each query cost factor (1x, 3x) and paging (as built, one page)."""
    found = {}
    for complexity in (1.0, a.query_complexity):
        varied = replace(a, query_complexity=complexity)
        found[(complexity, "as built")] = plan(stats, varied, pages)
        found[(complexity, "one page")] = plan(stats, varied, [1] * len(pages))
    return found


def sensitivity(plans: dict[tuple, Plan]) -> str:
    """How the two least certain inputs move the answer."""
    lines = [
        f"How the two least certain inputs move it (one page = retrieval stopped at "
        f"{PAGE_SIZE:,} candidates, `MAX_CANDIDATES = PAGE_SIZE`):",
        "",
        "| query cost vs reference | paging | nodes (= copies) | page p95 | request p95 |",
        "|---|---|---:|---:|---:|",
    ]
    for (complexity, paging), p in plans.items():
        lines.append(
            f"| {complexity:g}x | {paging} | {p.nodes} | {p.page_p95_ms:.0f} ms "
            f"| {p.p95_ms:.0f} ms |"
        )
    return "\n".join(lines)


def replace_section(text: str, body: str) -> str:
    """`text` with everything between the markers replaced by `body`."""
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{body}\n{END}{tail}"


def run(clinicians: int, seed: int, today: date, workdir: Path) -> tuple[str, list[Emitted]]:
    """Measure, plan and check; the section's markdown and every emitted request."""
    from search.mapping import index_body

    db_path = workdir / f"es-sample-{clinicians}-s{seed}.sqlite3"
    app = sample_app(db_path, clinicians, seed, today)
    with app.app_context():
        count, docs = sample_documents()
        emitted = search_requests(mix_bodies(db_path, seed), today)
    stats, assumptions = document_stats(count, docs), Assumptions()
    pages = [pages_at(e.matched, stats.documents, assumptions.listings) for e in emitted]
    result = plan(stats, assumptions, pages)
    index = index_body(replicas=result.replicas)
    errors = spec_errors(emitted, index, bulk_lines(docs, "clinicians"))
    if errors:
        raise SystemExit("bodies violate the Elasticsearch spec:\n" + "\n".join(errors[:20]))
    log(f"plan: {json.dumps(asdict(result))}")
    markdown = section(
        stats,
        assumptions,
        result,
        emitted,
        index_body=index,
        variants=variants(stats, assumptions, pages),
    )
    return markdown, emitted


def main() -> None:
    """CLI: the plan into BENCHMARKS.md, the bodies into benchmarks/results/."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinicians", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        body, emitted = run(args.clinicians, args.seed, args.today, Path(workdir))
    BENCHMARKS_MD.write_text(replace_section(BENCHMARKS_MD.read_text("utf-8"), body), "utf-8")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    write_ndjson(RESULTS_DIR / "es-requests.ndjson", emitted)
    log(f"{len(emitted)} search bodies valid; BENCHMARKS.md section and es-requests.ndjson written")


if __name__ == "__main__":
    main()
