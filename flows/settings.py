"""One typed settings object: environment (BANTIN_*) > content/bantin.toml > defaults.

The content folder is the whole configuration of a district: pick it with BANTIN_CONTENT
(or `bantin --content`). Relative paths in bantin.toml are resolved against that folder, so a
district's folder can be moved or copied as a unit.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from flows.contentfile import ContentError, TomlFile, env_error, read_toml
from flows.schemas import EngineName


class Section(BaseModel):
    """A [table] of bantin.toml: a key it does not name is a typo, refused rather than ignored."""

    model_config = ConfigDict(extra="forbid")


class DistrictSettings(Section):
    id: str = "district"
    name: str = "huyện"
    province: str = ""
    centre: str = "Trung tâm Văn hóa, Thể thao – Truyền thông"
    timezone: str = "Asia/Ho_Chi_Minh"


class WordPressSettings(Section):
    """A WordPress site the portal is published to (portal.publisher = "wordpress"), over its REST API.

    The application password is a secret: set it in the environment (BANTIN_PORTAL__WORDPRESS__PASSWORD), never
    in bantin.toml (load_settings refuses it there); it is never printed, logged or stored."""

    url: str = ""  # the site's address, e.g. https://vonhai.thainguyen.gov.vn/
    user: str = ""  # the WordPress account the posts are made by (an Editor or Administrator)
    password: SecretStr = SecretStr("")  # its application password (Users > Profile > Application Passwords)
    timeout_seconds: float = Field(default=20.0, gt=0)


class PortalSettings(Section):
    title: str = "Cổng thông tin điện tử"
    column: str = "Thi đua yêu nước"
    base_url: str = "/"  # where portal_out/ is served; RSS, Atom and the sitemap need an absolute https:// address
    output: Path = Path("../portal_out")
    address: str = ""  # shown in the footer and on the contact page
    phone: str = ""
    email: str = ""
    publisher: str = "static"  # how the portal is published: "static" (a folder of pages) or "wordpress"
    wordpress: WordPressSettings = Field(default_factory=WordPressSettings)


class StoreSettings(Section):
    url: str = "sqlite:///../data/bantin.sqlite3"


class VendorSettings(Section):
    """A paid voice's account (FPT.AI, Viettel AI, Vbee). Keep the key out of bantin.toml: set it in the
    environment, e.g. BANTIN_AUDIO__FPT__KEY. It is a secret: never printed, logged or written to a manifest."""

    key: SecretStr = SecretStr("")
    app_id: str = ""  # Vbee only
    callback_url: str = ""  # Vbee only: it requires one; bantin polls instead, so any address of the newsroom's
    timeout_seconds: float = 20.0
    poll_seconds: float = 90.0  # how long to wait for an asynchronous vendor's audio (kept under the chain's 120 s)


class AudioSettings(Section):
    output: Path = Path("../audio_out")
    cache: Path = Path("../data/tts_cache")
    engines: list[EngineName] = Field(default_factory=lambda: ["espeak"], min_length=1)
    gtts_tld: str = "com.vn"
    gtts_timeout_seconds: float = Field(default=10.0, gt=0)
    piper_model: str = ""  # a Piper .onnx voice file the newsroom provides (with its .onnx.json beside it)
    fpt: VendorSettings = Field(default_factory=VendorSettings)
    viettel: VendorSettings = Field(default_factory=VendorSettings)
    vbee: VendorSettings = Field(default_factory=VendorSettings)


class GatherSettings(Section):
    timeout_seconds: float = Field(default=20.0, gt=0)  # the longest silence between two packets of a reply
    connect_timeout_seconds: float = Field(default=10.0, gt=0)
    deadline_seconds: float = Field(default=60.0, gt=0)  # one whole download, however the server drips it
    max_bytes: int = Field(default=10_000_000, gt=0)
    max_redirects: int = Field(default=5, ge=0)
    polite_delay_seconds: float = Field(default=1.0, ge=0)  # between two requests to the same web server
    user_agent: str = "bantin/0.1 (+newsroom pipeline)"


class ServiceSettings(Section):
    """`bantin up`: Prefect's server, the served deployments and the stations' web app (see README)."""

    host: str = "127.0.0.1"
    api_port: int = 4200  # Prefect's API and UI
    web_port: int = 8080  # `bantin serve`
    prefect_database: str = ""  # Prefect's own database (SQLAlchemy async URL); default SQLite in data/prefect/
    poll_seconds: float = 1.0  # how often the runner asks for runs to start
    # Schedules, in the district's time zone (cron: minute hour day month weekday).
    nightly_cron: str = "30 22 * * *"  # the evening before: the first slot is at 06:00
    gather_cron: str = "*/30 7-17 * * 1-6"  # every 30 minutes in working hours, Monday to Saturday
    watch_cron: str = "*/10 * * * *"  # is every station's next bulletin there in time?
    retention_cron: str = "15 3 * * *"  # old bulletin MP3s removed daily (when this bantin has retention)


class AlertSettings(Section):
    """Where a failed or late nightly run is reported: a webhook (JSON POST) and/or e-mail."""

    webhook_url: str = ""
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")  # from the environment only: BANTIN_ALERTS__SMTP_PASSWORD
    mail_from: str = "bantin@localhost"
    mail_to: list[str] = Field(default_factory=list)
    late_minutes: float = 60.0  # a station's bulletin must exist this long before its slot
    timeout_seconds: float = 10.0


class ClusterSettings(Section):
    """Where synthesis voices its speech: in the run's own process (the default), on a LocalCluster of
    `workers` processes on this machine, or on a running Dask scheduler (`address`, e.g. tcp://10.0.0.5:8786)
    whose workers reach the same speech cache and audio_out (a shared folder)."""

    address: str = ""
    workers: int = Field(default=0, ge=0)

    @property
    def configured(self) -> bool:
        """Whether synthesis goes to Dask workers at all."""
        return bool(self.address) or self.workers > 0


class StorageSettings(Section):
    """Storage every machine of a province reaches, by fsspec URL (README "Past one machine"): s3://bucket/prefix
    on S3-compatible storage. Empty (the default): local folders only. The speech cache then keeps its local
    folder ([audio] cache) as this machine's copy; audio_out is written locally and copied there."""

    speech_cache: str = ""  # e.g. "s3://bantin/cache"
    audio_out: str = ""  # e.g. "s3://bantin/audio": each bulletin (MP3, manifest, transcript) copied there
    endpoint_url: str = ""  # S3-compatible storage other than AWS, e.g. "http://minio.tinh.local:9000"
    region: str = ""
    key: str = ""  # the access key id (or AWS_ACCESS_KEY_ID in the environment)
    secret: SecretStr = SecretStr("")  # from the environment only: BANTIN_STORAGE__SECRET (or AWS_SECRET_ACCESS_KEY)


class NightlySettings(Section):
    """The nightly run's approval deadline: stories still under review are waited for until the cut-off."""

    approval_cutoff: str = "23:30"  # local time on the evening before the broadcast day
    max_wait_minutes: float = 90.0  # never wait longer than this, whatever the cut-off
    poll_seconds: float = 30.0


class ReportSettings(Section):
    """The report for the Home Affairs office (`bantin report`): where it goes and how it is headed and signed."""

    output: Path = Path("../reports")
    authority: str = ""  # the issuing body's superior, e.g. "UBND huyện Võ Nhai" (default: from the district)
    issuer: str = "Phòng Nội vụ"  # the issuing body
    code: str = "BC-PNV"  # the document code after the number: Số: .../BC-PNV
    place: str = ""  # the place in the date line (default: the district's name without "huyện")
    signer: str = "Trưởng phòng"  # the signature block's title
    recipients: list[str] = Field(default_factory=lambda: [
        "UBND huyện (để báo cáo)", "Hội đồng Thi đua – Khen thưởng huyện", "Trung tâm VH, TT và TT huyện", "Lưu: VT, NV"])
    campaign: str = "ky-niem-75-nam"  # the movement id of the campaign the report follows on its own
    campaign_day: date = date(2023, 6, 11)  # the campaign's anniversary day: stories before and after it
    chromium: str = ""  # the Chromium that prints the PDF (default: chromium on PATH)


class WebSettings(Section):
    """`bantin serve`: the stations' service and, later, the desk."""

    secret_key_file: Path = Path("../data/web-secret.key")  # made on first start; signs CSRF tokens
    session_hours: float = 12.0  # a login lasts this long, then the person logs in again
    retention_days: int = 30  # bulletin MP3s older than this are removed (manifests and transcripts stay)
    public_url: str = ""  # e.g. https://bantin.vonhai.gov.vn behind a proxy; empty: taken from each request


class Settings(BaseSettings):
    """Every setting of a bantin installation."""

    model_config = SettingsConfigDict(env_prefix="BANTIN_", env_nested_delimiter="__", extra="forbid")

    content: Path = Path("content")
    district: DistrictSettings = Field(default_factory=DistrictSettings)
    portal: PortalSettings = Field(default_factory=PortalSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    audio: AudioSettings = Field(default_factory=AudioSettings)
    gather: GatherSettings = Field(default_factory=GatherSettings)
    service: ServiceSettings = Field(default_factory=ServiceSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    nightly: NightlySettings = Field(default_factory=NightlySettings)
    cluster: ClusterSettings = Field(default_factory=ClusterSettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = _content_dir() / "bantin.toml"
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=toml_file))

    def model_post_init(self, __context: Any) -> None:
        self.content = self.content.resolve()
        base = self.content
        self.portal.output = _under(base, self.portal.output)
        self.audio.output = _under(base, self.audio.output)
        self.audio.cache = _under(base, self.audio.cache)
        self.store.url = _sqlite_under(base, self.store.url)
        self.web.secret_key_file = _under(base, self.web.secret_key_file)
        self.report.output = _under(base, self.report.output)

    @property
    def data_dir(self) -> Path:
        """Where bantin keeps its working files (the default SQLite store, caches)."""
        return (self.content / ".." / "data").resolve()


# The folder chosen by the caller of load_settings; read by the TOML source while settings are built.
_chosen_content: ContextVar[Path | None] = ContextVar("bantin_content", default=None)


def _content_dir() -> Path:
    chosen = _chosen_content.get()
    return chosen if chosen is not None else Path(os.environ.get("BANTIN_CONTENT", "content"))


def _under(base: Path, path: Path) -> Path:
    return path if path.is_absolute() else (base / path).resolve()


def _sqlite_under(base: Path, url: str) -> str:
    """Resolve a relative SQLite file path against the content folder; other URLs pass through."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == "sqlite:///:memory:":
        return url
    path = Path(url[len(prefix):])
    return prefix + str(_under(base, path))


def load_settings(content: Path | str | None = None) -> Settings:
    """Read settings for a content folder (default: BANTIN_CONTENT or ./content)."""
    token = _chosen_content.set(Path(content) if content is not None else None)
    try:
        # Read first for its own sake: a TOML mistake is named with its line, in Vietnamese.
        file = read_toml(_content_dir() / "bantin.toml", required=False)
        _refuse_secrets(file)
        try:
            return Settings(content=_content_dir())
        except ValidationError as exc:
            raise env_error(exc, "BANTIN_", "__", Settings, file if file.text else None) from None
    finally:
        _chosen_content.reset(token)


# Secrets bantin.toml must not hold: (path in the file, what it is for an editor, the environment variable).
_SECRETS = (
    (("portal", "wordpress", "password"), "mật khẩu WordPress", "BANTIN_PORTAL__WORDPRESS__PASSWORD"),
    (("storage", "secret"), "khóa bí mật của kho lưu trữ chung", "BANTIN_STORAGE__SECRET"),
    (("alerts", "smtp_password"), "mật khẩu thư điện tử", "BANTIN_ALERTS__SMTP_PASSWORD"),
    (("audio", "fpt", "key"), "khóa API của FPT.AI", "BANTIN_AUDIO__FPT__KEY"),
    (("audio", "viettel", "key"), "khóa API của Viettel AI", "BANTIN_AUDIO__VIETTEL__KEY"),
    (("audio", "vbee", "key"), "khóa API của Vbee", "BANTIN_AUDIO__VBEE__KEY"),
)


def _refuse_secrets(file: TomlFile) -> None:
    """A password or key in a content file would be copied, shared and committed with it: it belongs in the
    environment."""
    for path, what, variable in _SECRETS:
        table: object = file.data
        for part in path[:-1]:
            table = table.get(part, {}) if isinstance(table, dict) else {}
        if isinstance(table, dict) and path[-1] in table:
            raise ContentError(f"không ghi {what} vào tệp nội dung.", where=file.where(path),
                               hint=f"Xóa dòng này và đặt giá trị vào biến môi trường {variable}.")


