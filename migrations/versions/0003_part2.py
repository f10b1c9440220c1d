"""part 2 by content: referral.part2 and referral.part2_basis, existing rows classified

Revision ID: 0003_part2
Revises: 0002
Create Date: 2026-12-04 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_part2'
down_revision = '0003_audit'
branch_labels = None
depends_on = None


def _classify_existing():
    """Classify every stored referral by content, as new ones are (referrals/part2.py)."""
    # The pure classifier is imported, not copied: a backfill should apply the rule as shipped
    # with it (and `flask referrals classify` applies a later rule to the same rows).
    from referrals.part2 import Content, classify

    bind = op.get_bind()
    referral = sa.table(
        'referral',
        sa.column('id', sa.Integer),
        sa.column('substance_use', sa.Boolean),
        sa.column('reason', sa.Text),
        sa.column('notes', sa.Text),
        sa.column('diagnoses', sa.JSON),
        sa.column('conditions', sa.JSON),
        sa.column('medications', sa.JSON),
        sa.column('needs', sa.JSON),
        sa.column('part2', sa.Boolean),
        sa.column('part2_basis', sa.JSON),
    )
    notes = {}
    for table in ('referral_event', 'referral_checklist_item'):
        rows = bind.execute(sa.text(f'SELECT referral_id, note FROM {table} WHERE note IS NOT NULL'))
        for referral_id, note in rows:
            notes.setdefault((table, referral_id), []).append(note)
    for row in bind.execute(sa.select(referral)).mappings().all():
        finding = classify(Content(
            diagnoses=tuple(row['diagnoses'] or ()),
            medications=tuple(row['medications'] or ()),
            conditions=tuple(row['conditions'] or ()),
            reason=row['reason'],
            notes=row['notes'],
            needs=row['needs'] or {},
            event_notes=tuple(notes.get(('referral_event', row['id']), ())),
            checklist_notes=tuple(notes.get(('referral_checklist_item', row['id']), ())),
            flag=bool(row['substance_use']),
        ))
        if finding.part2:
            bind.execute(
                referral.update()
                .where(referral.c.id == row['id'])
                .values(part2=True, part2_basis=list(finding.basis))
            )


def upgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('part2', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('part2_basis', sa.JSON(), server_default='[]', nullable=False))
    _classify_existing()


def downgrade():
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_column('part2_basis')
        batch_op.drop_column('part2')
