"""episodes of care: one per patient at a referring organization; referrals and screenings join;
its care team, goals and tasks

Revision ID: 0005_episode
Revises: 0005_bhreturn
Create Date: 2026-12-05 07:00:00.000000

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_episode'
down_revision = '0005_bhreturn'
branch_labels = None
depends_on = None

# A frozen copy of episodes.identity's rules as they stood when this ran: a migration must
# give the same answer later, whatever the application code becomes.
_NOT_A_LETTER = re.compile(r"[^\w]+")


def _name_key(name):
    decomposed = unicodedata.normalize("NFKD", name or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(sorted(_NOT_A_LETTER.sub(" ", bare.replace("_", " ")).split()))[:200]


def _member_key(member_id):
    return (member_id or "").strip().upper() or None


def upgrade():
    op.create_table(
        'episode',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.String(length=64), nullable=True),
        sa.Column('patient_name', sa.String(length=200), nullable=False),
        sa.Column('patient_name_key', sa.String(length=200), nullable=False),
        sa.Column('patient_birth_date', sa.Date(), nullable=False),
        sa.Column('patient_member_id', sa.String(length=64), nullable=True),
        sa.Column('created_by', sa.String(length=80), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['organization_id'], ['organization.id'],
            name=op.f('fk_episode_organization_id_organization'), ondelete='RESTRICT',
        ),
        sa.ForeignKeyConstraint(
            ['plan_id'], ['network.id'],
            name=op.f('fk_episode_plan_id_network'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_episode')),
    )
    with op.batch_alter_table('episode', schema=None) as batch_op:
        batch_op.create_index(
            'ix_episode_org_name_birth',
            ['organization_id', 'patient_name_key', 'patient_birth_date'], unique=False,
        )
        batch_op.create_index(
            'ix_episode_org_plan_member',
            ['organization_id', 'plan_id', 'patient_member_id'], unique=False,
        )
    for table in ('referral', 'screening_result'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('episode_id', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_episode_id'), ['episode_id'], unique=False)
            batch_op.create_foreign_key(
                batch_op.f(f'fk_{table}_episode_id_episode'), 'episode',
                ['episode_id'], ['id'], ondelete='SET NULL',
            )
    _backfill(op.get_bind())
    _care_plan_tables()


def _care_plan_tables():
    op.create_table(
        'care_team_member',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('episode_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=30), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('npi', sa.String(length=10), nullable=True),
        sa.Column('organization_id', sa.Integer(), nullable=True),
        sa.Column('phone', sa.String(length=30), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('added_by', sa.String(length=80), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('removed_by', sa.String(length=80), nullable=True),
        sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['episode_id'], ['episode.id'],
            name=op.f('fk_care_team_member_episode_id_episode'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['organization_id'], ['organization.id'],
            name=op.f('fk_care_team_member_organization_id_organization'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_care_team_member')),
    )
    with op.batch_alter_table('care_team_member', schema=None) as batch_op:
        for column in ('episode_id', 'npi', 'organization_id'):
            batch_op.create_index(batch_op.f(f'ix_care_team_member_{column}'), [column], unique=False)
    op.create_table(
        'care_plan_goal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('episode_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('target_on', sa.Date(), nullable=True),
        sa.Column('part2', sa.Boolean(), nullable=False),
        sa.Column('part2_basis', sa.JSON(), nullable=False),
        sa.Column('created_by', sa.String(length=80), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['episode_id'], ['episode.id'],
            name=op.f('fk_care_plan_goal_episode_id_episode'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_care_plan_goal')),
    )
    with op.batch_alter_table('care_plan_goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_plan_goal_episode_id'), ['episode_id'], unique=False)
    op.create_table(
        'care_plan_task',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('episode_id', sa.Integer(), nullable=False),
        sa.Column('goal_id', sa.Integer(), nullable=True),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('part2', sa.Boolean(), nullable=False),
        sa.Column('part2_basis', sa.JSON(), nullable=False),
        sa.Column('created_by', sa.String(length=80), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['episode_id'], ['episode.id'],
            name=op.f('fk_care_plan_task_episode_id_episode'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['goal_id'], ['care_plan_goal.id'],
            name=op.f('fk_care_plan_task_goal_id_care_plan_goal'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['owner_id'], ['care_team_member.id'],
            name=op.f('fk_care_plan_task_owner_id_care_team_member'), ondelete='RESTRICT',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_care_plan_task')),
    )
    with op.batch_alter_table('care_plan_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_plan_task_episode_id'), ['episode_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_plan_task_owner_id'), ['owner_id'], unique=False)


class _Episodes:
    """The episodes opened so far by the backfill, found the way a new referral finds them."""

    def __init__(self):
        self.by_member = {}  # (org, plan, member) -> id
        self.by_name = {}  # (org, name key, birth date) -> [[id, plan, member], ...]

    def find(self, org, name, birth, plan, member):
        if member is not None and plan is not None and (org, plan, member) in self.by_member:
            return self.by_member[(org, plan, member)]
        for found in self.by_name.get((org, name, birth), []):
            # Two different member ids of one plan are two people, whatever the name says.
            if not (member and found[2] and found[1] == plan and found[2] != member):
                if found[2] is None and member is not None and plan is not None:
                    found[1], found[2] = plan, member
                    self.by_member[(org, plan, member)] = found[0]
                return found[0]
        return None

    def remember(self, episode_id, org, name, birth, plan, member):
        self.by_name.setdefault((org, name, birth), []).append([episode_id, plan, member])
        if member is not None and plan is not None:
            self.by_member[(org, plan, member)] = episode_id


def _backfill(conn):
    """Every stored referral joins its patient's episode, oldest first; screenings follow."""
    referral = sa.table(
        'referral', sa.column('id'), sa.column('episode_id'),
        sa.column('referring_organization_id'), sa.column('patient_name'),
        sa.column('patient_birth_date'), sa.column('patient_member_id'),
        sa.column('plan_id'), sa.column('created_by'), sa.column('created_at'),
    )
    episode = sa.table(
        'episode', sa.column('id'), sa.column('organization_id'), sa.column('plan_id'),
        sa.column('patient_name'), sa.column('patient_name_key'),
        sa.column('patient_birth_date'), sa.column('patient_member_id'),
        sa.column('created_by'), sa.column('created_at'), sa.column('updated_at'),
    )
    seen = _Episodes()
    rows = conn.execute(sa.select(referral).order_by(referral.c.id)).mappings().all()
    for row in rows:
        org, name = row['referring_organization_id'], _name_key(row['patient_name'])
        member = _member_key(row['patient_member_id'])
        plan = row['plan_id'] if member is not None else None
        member = member if plan is not None else None
        birth = row['patient_birth_date']
        found = seen.find(org, name, birth, plan, member)
        if found is None:
            found = conn.execute(
                episode.insert().values(
                    organization_id=org, plan_id=plan, patient_name=row['patient_name'],
                    patient_name_key=name, patient_birth_date=birth,
                    patient_member_id=member, created_by=row['created_by'],
                    created_at=row['created_at'], updated_at=row['created_at'],
                ).returning(episode.c.id)
            ).scalar_one()
            seen.remember(found, org, name, birth, plan, member)
        conn.execute(
            referral.update().where(referral.c.id == row['id']).values(episode_id=found)
        )
    _learned_members(conn, episode, seen)
    conn.execute(sa.text(
        "UPDATE screening_result SET episode_id = (SELECT referral.episode_id FROM referral "
        "WHERE referral.id = screening_result.referral_id) WHERE referral_id IS NOT NULL"
    ))


def _learned_members(conn, episode, seen):
    """Member ids a later referral taught an episode first opened without one."""
    for (org, plan, member), episode_id in seen.by_member.items():
        conn.execute(
            episode.update()
            .where(episode.c.id == episode_id, episode.c.patient_member_id.is_(None))
            .values(plan_id=plan, patient_member_id=member)
        )


def downgrade():
    op.drop_table('care_plan_task')
    op.drop_table('care_plan_goal')
    op.drop_table('care_team_member')
    for table in ('screening_result', 'referral'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_episode_id_episode'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_episode_id'))
            batch_op.drop_column('episode_id')
    with op.batch_alter_table('episode', schema=None) as batch_op:
        batch_op.drop_index('ix_episode_org_plan_member')
        batch_op.drop_index('ix_episode_org_name_birth')
    op.drop_table('episode')
