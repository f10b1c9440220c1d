"""location.geo_precision: how near each point stands to its address; existing rows backfilled

Revision ID: 0004_zips
Revises: 0003_part2
Create Date: 2026-12-04 19:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_zips'
down_revision = '0003_part2'
branch_labels = None
depends_on = None

_CHUNK = 5000


def _backfill():
    """Rows on their ZIP's ZCTA centroid were placed by ZIP; other points came from the source."""
    # The ZCTA table is read through the shipped module, as the loaders placed these rows.
    from directory.geography import zip_centroid

    bind = op.get_bind()
    location = sa.table(
        'location',
        sa.column('id', sa.Integer),
        sa.column('postal_code', sa.String),
        sa.column('lat', sa.Float),
        sa.column('lon', sa.Float),
        sa.column('geo_precision', sa.String),
    )
    op.execute(
        "UPDATE location SET geo_precision = 'address' "
        "WHERE lat IS NOT NULL AND lon IS NOT NULL"
    )
    placed = bind.execute(
        sa.select(location.c.id, location.c.postal_code, location.c.lat, location.c.lon).where(
            location.c.lat.isnot(None), location.c.lon.isnot(None)
        )
    )
    by_zip = []
    for id_, postal, lat, lon in placed:
        centroid = zip_centroid(postal)
        if centroid and abs(centroid.lat - lat) < 1e-9 and abs(centroid.lon - lon) < 1e-9:
            by_zip.append(id_)
    for start in range(0, len(by_zip), _CHUNK):
        bind.execute(
            location.update()
            .where(location.c.id.in_(by_zip[start : start + _CHUNK]))
            .values(geo_precision='zcta_centroid')
        )


def upgrade():
    # A plain ADD COLUMN: a batch copy of `location` on SQLite would drop its listing trigger.
    op.add_column(
        'location',
        sa.Column('geo_precision', sa.String(length=16), nullable=False, server_default='none'),
    )
    _backfill()


def downgrade():
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.drop_column('geo_precision')
