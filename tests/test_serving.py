"""A serving process at boot: its match index starts building, start-up objects leave the GC."""

import gc

from app import prepare_worker
from matching.matcher import matcher


def test_prepare_worker_warms_the_index_and_freezes_startup_objects(app, db):
    try:
        prepare_worker(app)

        assert gc.get_freeze_count() > 0
        assert matcher.keeper(app).wait(timeout=60)
    finally:
        gc.unfreeze()
