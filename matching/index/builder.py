"""Build a base segment in a child process: `python -m matching.index.builder`.

A full read of a big directory allocates many times the finished arrays in short-lived rows;
in the serving process that garbage would stay as resident memory (the heap fragments), and
the read would hold the GIL that searches need. The child reads the database named by
MATCH_INDEX_DATABASE_URL (the environment, so no password shows in a process list), and
writes (change-log position, segment) pickled to stdout; the parent keeps only the arrays.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from matching.index.build import read_segment
from matching.index.feed import Position, feed_for
from matching.index.segment import Segment

URL_VARIABLE = "MATCH_INDEX_DATABASE_URL"


class BuildFailed(RuntimeError):
    """The child process could not build the segment."""


def read_base(engine: Engine) -> tuple[Position, Segment]:
    """(the log position the read starts from, a segment of every active clinician)."""
    with engine.connect() as connection:
        position = feed_for(engine.dialect.name).start(connection)
        return position, read_segment(connection)


def build_in_child(engine: Engine, timeout: float | None = None) -> tuple[Position, Segment]:
    """read_base() for `engine`'s database, in a child process."""
    env = {**os.environ, URL_VARIABLE: engine.url.render_as_string(hide_password=False)}
    done = subprocess.run(
        [sys.executable, "-m", "matching.index.builder"],
        env=env,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise BuildFailed(f"index build exited {done.returncode}: {tail[0]}")
    return pickle.loads(done.stdout)


def main() -> None:
    """Child entry point: build and write the pickle to stdout."""
    url = os.environ.get(URL_VARIABLE)
    if not url:
        raise SystemExit(f"{URL_VARIABLE} is not set")
    engine = create_engine(url)
    try:
        built = read_base(engine)
    finally:
        engine.dispose()
    sys.stdout.buffer.write(pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    main()
