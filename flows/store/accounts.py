"""People who log in to `bantin serve`: accounts with one role, their sessions, and failed logins.

Passwords are kept as argon2id hashes; a session is a random token whose SHA-256 alone is stored, so a copy of
the database opens no session. Times are UTC.
"""

from __future__ import annotations

import enum
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, delete, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from flows.errors import ConflictError, NotFoundError, UserError
from flows.store.schema import Base

if TYPE_CHECKING:
    from flows.store import Store

MIN_PASSWORD = 10
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,49}")
_hasher = PasswordHasher()  # argon2id with the library's recommended cost (RFC 9106 low-memory profile)
# Verified when the name is unknown, so a wrong name costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash("bantin: no such account")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


class Role(str, enum.Enum):
    """What an account may do. Checked on the server for every request."""

    OPERATOR = "operator"  # one station's operator: sees and fetches that station only
    EDITOR = "editor"  # the newsroom: every station, the station keys, the reports
    VIEWER = "viewer"  # the Home Affairs office: reads the reports, changes nothing
    ADMIN = "admin"  # manages accounts

    @property
    def label_vi(self) -> str:
        return {"operator": "vận hành đài", "editor": "biên tập viên", "viewer": "theo dõi (Phòng Nội vụ)",
                "admin": "quản trị"}[self.value]


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    name: str
    role: Role
    station_id: str | None
    active: bool
    created_at: datetime

    def may_see(self, station_id: str) -> bool:
        return self.role is not Role.OPERATOR or self.station_id == station_id


@dataclass(frozen=True)
class LoginSession:
    """A logged-in browser: the account and when the login ends."""

    id: int
    account: Account
    expires_at: datetime
    token_hash: str


class AccountRow(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(20))
    station_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    changed_by: Mapped[str] = mapped_column(String(100), default="")


class SessionRow(Base):
    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    client: Mapped[str] = mapped_column(String(64), default="")


class LoginFailureRow(Base):
    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_username_at", "username", "at"),
                      Index("ix_login_failures_client_at", "client", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(50))
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime)


def _record(row: AccountRow) -> Account:
    return Account(row.id, row.username, row.name, Role(row.role), row.station_id, row.active, row.created_at)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_password() -> str:
    """A password to read out over the phone: 4 groups of 4 lowercase letters and digits, no look-alikes."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")
    if len(password) > 1000:
        raise UserError("Mật khẩu quá dài (tối đa 1000 ký tự).")


class Accounts:
    """Accounts, sessions and failed logins in the store. `store` is a flows.store.Store."""

    def __init__(self, store: Store) -> None:
        self._session = store.session

    # -- accounts ----------------------------------------------------------------------------------
    def add(self, username: str, password: str, role: Role | str, station_id: str | None = None, name: str = "",
            known_stations: set[str] | None = None, actor: str = "") -> Account:
        """Create an account. An operator belongs to exactly one station; the others to none."""
        username = username.strip().lower()
        if not _USERNAME.fullmatch(username):
            raise UserError(f"Tên đăng nhập '{username[:60]}' không hợp lệ: 3–50 chữ thường không dấu, số, "
                            "dấu chấm, gạch ngang hoặc gạch dưới.")
        try:
            role = Role(role)
        except ValueError:
            raise UserError(f"Không có vai trò '{role}'. Chọn: " + ", ".join(r.value for r in Role) + ".") from None
        if role is Role.OPERATOR:
            if not station_id:
                raise UserError("Tài khoản vận hành đài cần có mã đài (--station).")
            if known_stations is not None and station_id not in known_stations:
                raise NotFoundError(f"Không có đài '{station_id}'. Xem danh sách bằng lệnh 'bantin stations'.")
        elif station_id:
            raise UserError(f"Chỉ tài khoản vận hành đài mới gắn với một đài (vai trò '{role.value}' thì không).")
        check_password(password)
        now = utcnow()
        with self._session() as s:
            if s.scalar(select(AccountRow.id).where(AccountRow.username == username)) is not None:
                raise ConflictError(f"Tên đăng nhập '{username}' đã có.")
            row = AccountRow(username=username, name=name.strip(), role=role.value, station_id=station_id or None,
                             password_hash=_hasher.hash(password), active=True, created_at=now, changed_at=now,
                             changed_by=actor)
            s.add(row)
            s.flush()
            return _record(row)

    def list(self) -> list[Account]:
        with self._session() as s:
            return [_record(r) for r in s.scalars(select(AccountRow).order_by(AccountRow.role, AccountRow.username))]

    def get(self, username: str) -> Account:
        with self._session() as s:
            row = s.scalar(select(AccountRow).where(AccountRow.username == username.strip().lower()))
            if row is None:
                raise NotFoundError(f"Không có tài khoản '{username[:60]}'.")
            return _record(row)

    def set_active(self, username: str, active: bool, actor: str = "") -> Account:
        """Disable (or enable again) an account; disabling ends its sessions at once."""
        with self._session() as s:
            row = s.scalar(select(AccountRow).where(AccountRow.username == username.strip().lower()))
            if row is None:
                raise NotFoundError(f"Không có tài khoản '{username[:60]}'.")
            row.active, row.changed_at, row.changed_by = active, utcnow(), actor
            if not active:
                s.execute(delete(SessionRow).where(SessionRow.account_id == row.id))
            return _record(row)

    def reset_password(self, username: str, password: str, actor: str = "") -> Account:
        """Set a new password; every session of the account ends."""
        check_password(password)
        with self._session() as s:
            row = s.scalar(select(AccountRow).where(AccountRow.username == username.strip().lower()))
            if row is None:
                raise NotFoundError(f"Không có tài khoản '{username[:60]}'.")
            row.password_hash, row.changed_at, row.changed_by = _hasher.hash(password), utcnow(), actor
            s.execute(delete(SessionRow).where(SessionRow.account_id == row.id))
            s.execute(delete(LoginFailureRow).where(LoginFailureRow.username == row.username))
            return _record(row)

    # -- logging in --------------------------------------------------------------------------------
    def recent_failures(self, username: str, client: str, window: timedelta) -> tuple[int, int, datetime | None]:
        """Failed logins within `window` for this name and for this client address, and the oldest one's time."""
        since = utcnow() - window
        with self._session() as s:
            by_name = s.scalar(select(func.count()).select_from(LoginFailureRow).where(
                LoginFailureRow.username == username, LoginFailureRow.at >= since)) or 0
            by_client = s.scalar(select(func.count()).select_from(LoginFailureRow).where(
                LoginFailureRow.client == client, LoginFailureRow.at >= since)) or 0
            oldest = s.scalar(select(func.min(LoginFailureRow.at)).where(
                ((LoginFailureRow.username == username) | (LoginFailureRow.client == client)),
                LoginFailureRow.at >= since))
            return by_name, by_client, oldest

    def verify(self, username: str, password: str, client: str) -> Account | None:
        """The account if the name and password match an active account; a failure is remembered."""
        username = username.strip().lower()[:50]
        with self._session() as s:
            row = s.scalar(select(AccountRow).where(AccountRow.username == username))
            stored = row.password_hash if row is not None and row.active else _DUMMY_HASH
        try:
            ok = _hasher.verify(stored, password) and row is not None and row.active
        except (VerificationError, InvalidHashError):
            ok = False
        with self._session() as s:
            if not ok:
                s.add(LoginFailureRow(username=username, client=client[:64], at=utcnow()))
                return None
            assert row is not None
            s.execute(delete(LoginFailureRow).where(LoginFailureRow.username == username))
            if _hasher.check_needs_rehash(row.password_hash):
                s.execute(update(AccountRow).where(AccountRow.id == row.id).values(
                    password_hash=_hasher.hash(password)))
            return _record(row)

    def start_session(self, account: Account, lifetime: timedelta, client: str = "") -> tuple[str, LoginSession]:
        """A new session for a verified account: returns the token for the cookie (kept nowhere else)."""
        token = secrets.token_urlsafe(32)
        now = utcnow()
        with self._session() as s:
            s.execute(delete(SessionRow).where(SessionRow.expires_at < now))
            row = SessionRow(token_hash=token_hash(token), account_id=account.id, created_at=now,
                             expires_at=now + lifetime, client=client[:64])
            s.add(row)
            s.flush()
            return token, LoginSession(row.id, account, row.expires_at, row.token_hash)

    def session_for(self, token: str) -> LoginSession | None:
        """The live session of a cookie's token, or None (unknown, expired, or its account disabled)."""
        if not token or len(token) > 200:
            return None
        digest = token_hash(token)
        with self._session() as s:
            found = s.execute(select(SessionRow, AccountRow).join(AccountRow, AccountRow.id == SessionRow.account_id)
                              .where(SessionRow.token_hash == digest)).first()
            if found is None:
                return None
            session, account = found
            if session.expires_at <= utcnow() or not account.active:
                return None
            return LoginSession(session.id, _record(account), session.expires_at, session.token_hash)

    def end_session(self, token: str) -> None:
        with self._session() as s:
            s.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash(token)))

    def expire_sessions(self, username: str) -> int:
        """End every session of an account now (as if their time were up); returns how many."""
        with self._session() as s:
            row = s.scalar(select(AccountRow).where(AccountRow.username == username.strip().lower()))
            if row is None:
                raise NotFoundError(f"Không có tài khoản '{username[:60]}'.")
            result = s.execute(update(SessionRow).where(SessionRow.account_id == row.id,
                                                        SessionRow.expires_at > utcnow())
                               .values(expires_at=utcnow() - timedelta(seconds=1)))
            return int(result.rowcount or 0)  # type: ignore[attr-defined]
