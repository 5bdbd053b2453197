"""The stations' service (`bantin serve`): accounts, sessions, failed logins, station keys, the fetch log.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(50), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("station_id", sa.String(100), nullable=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
    )
    op.create_index("ix_web_sessions_account_id", "web_sessions", ["account_id"])
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(50), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_login_failures_username_at", "login_failures", ["username", "at"])
    op.create_index("ix_login_failures_client_at", "login_failures", ["client", "at"])
    op.create_table(
        "station_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("station_id", sa.String(100), nullable=False),
        sa.Column("secret", sa.String(64), nullable=False, unique=True),
        sa.Column("issued_at", sa.DateTime, nullable=False),
        sa.Column("issued_by", sa.String(100), nullable=False),
        sa.Column("revoked_at", sa.DateTime, nullable=True),
        sa.Column("revoked_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_station_keys_station_id", "station_keys", ["station_id"])
    op.create_table(
        "fetches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("station_id", sa.String(100), nullable=False),
        sa.Column("day", sa.Date, nullable=True),
        sa.Column("slot_id", sa.String(100), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("who", sa.String(100), nullable=False),
        sa.Column("by_station", sa.Boolean, nullable=False),
        sa.Column("account_id", sa.Integer, nullable=True),
        sa.Column("key_id", sa.Integer, nullable=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("range_start", sa.Integer, nullable=False),
        sa.Column("bytes_sent", sa.Integer, nullable=False),
        sa.Column("expected_bytes", sa.Integer, nullable=False),
        sa.Column("file_bytes", sa.Integer, nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
    )
    op.create_index("ix_fetches_station_day", "fetches", ["station_id", "day"])
    op.create_index("ix_fetches_at", "fetches", ["at"])


def downgrade() -> None:
    for table in ("fetches", "station_keys", "login_failures", "web_sessions", "accounts"):
        op.drop_table(table)
