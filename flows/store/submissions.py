"""Contributing units' submission keys and the files sent with their stories.

A unit (a source of kind "submission" in sources.toml) sends stories to `bantin serve` with its own key. Unlike a
station's key, nobody needs to read a submission key again once it was handed over, so only its SHA-256 is kept:
a copy of the store does not let anyone post as a commune. One live key per unit; an editor revokes a key that
leaked and issues a new one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from flows.errors import NotFoundError
from flows.models import Attachment
from flows.store.base import StoreBase, now
from flows.store.schema import Base

KEY_PREFIX = "gt_"  # recognisable in a leaked log line or a pasted message


class SubmissionKeyRow(Base):
    __tablename__ = "submission_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(String(100), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    tail: Mapped[str] = mapped_column(String(8), default="")  # the last characters, to tell keys apart in a list
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    issued_by: Mapped[str] = mapped_column(String(100), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_by: Mapped[str] = mapped_column(String(100), default="")


class AttachmentRow(Base):
    __tablename__ = "story_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(Integer, ForeignKey("stories.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(100))
    caption: Mapped[str] = mapped_column(Text, default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")


@dataclass(frozen=True)
class SubmissionKey:
    id: int
    source_id: str
    tail: str
    issued_at: datetime
    issued_by: str
    revoked_at: datetime | None
    secret: str = ""  # only right after issuing: the store never keeps it

    @property
    def live(self) -> bool:
        return self.revoked_at is None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def _key(row: SubmissionKeyRow, secret: str = "") -> SubmissionKey:
    return SubmissionKey(row.id, row.source_id, row.tail, row.issued_at, row.issued_by, row.revoked_at, secret)


class SubmissionQueries(StoreBase):
    # -- keys -----------------------------------------------------------------------------------
    def issue_submission_key(self, source_id: str, actor: str) -> SubmissionKey:
        """A new key for the unit, shown once; the one before it (if any) is revoked in the same step."""
        secret = KEY_PREFIX + secrets.token_urlsafe(24)
        at = now()
        with self.session() as s:
            for old in s.scalars(select(SubmissionKeyRow).where(SubmissionKeyRow.source_id == source_id,
                                                                SubmissionKeyRow.revoked_at.is_(None))):
                old.revoked_at, old.revoked_by = at, actor
            row = SubmissionKeyRow(source_id=source_id, digest=_digest(secret), tail=secret[-4:], issued_at=at,
                                   issued_by=actor)
            s.add(row)
            s.flush()
            return _key(row, secret)

    def revoke_submission_key(self, source_id: str, actor: str) -> int:
        at = now()
        with self.session() as s:
            rows = list(s.scalars(select(SubmissionKeyRow).where(SubmissionKeyRow.source_id == source_id,
                                                                 SubmissionKeyRow.revoked_at.is_(None))))
            if not rows:
                raise NotFoundError(f"Nguồn {source_id} không có khóa gửi tin nào đang dùng.")
            for row in rows:
                row.revoked_at, row.revoked_by = at, actor
            return len(rows)

    def submission_keys(self) -> list[SubmissionKey]:
        with self.session() as s:
            return [_key(r) for r in s.scalars(select(SubmissionKeyRow).order_by(SubmissionKeyRow.id))]

    def submission_key(self, secret: str) -> SubmissionKey | None:
        """The live key with this secret, or None (unknown, revoked or malformed)."""
        if not secret or len(secret) > 100 or not secret.startswith(KEY_PREFIX):
            return None
        digest = _digest(secret)
        with self.session() as s:
            row = s.scalar(select(SubmissionKeyRow).where(SubmissionKeyRow.digest == digest,
                                                          SubmissionKeyRow.revoked_at.is_(None)))
            if row is None or not hmac.compare_digest(row.digest, digest):
                return None
            return _key(row)

    # -- attachments ----------------------------------------------------------------------------
    def attachments(self, story_ids: list[int]) -> dict[int, list[Attachment]]:
        found: dict[int, list[Attachment]] = {sid: [] for sid in story_ids}
        if not story_ids:
            return found
        with self.session() as s:
            for r in s.scalars(select(AttachmentRow).where(AttachmentRow.story_id.in_(story_ids))
                               .order_by(AttachmentRow.id)):
                found[r.story_id].append(Attachment(r.kind, r.path, r.media_type, r.caption, r.size, r.sha256))
        return found


def attachment_rows(story_id: int, attachments: tuple[Attachment, ...]) -> list[AttachmentRow]:
    """The rows add_submission writes in the story's own transaction."""
    return [AttachmentRow(story_id=story_id, kind=a.kind, path=a.path, media_type=a.media_type, caption=a.caption,
                          size=a.size, sha256=a.sha256) for a in attachments]
