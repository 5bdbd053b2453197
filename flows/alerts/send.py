"""Deliver one alert on every configured channel: a JSON POST to a webhook, an e-mail over SMTP."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import asdict, dataclass
from datetime import date
from email.message import EmailMessage
from typing import Any

import requests

from flows.errors import TransientError, UserError
from flows.http import is_transient_exception, is_transient_status
from flows.settings import AlertSettings


@dataclass(frozen=True)
class Alert:
    """One problem, told in Vietnamese: `text` is the whole message; the fields let a chat bot or a
    dashboard sort them."""

    key: str
    kind: str  # "late" (no bulletin in time) or "failed" (the run failed)
    station_id: str
    station_name: str
    day: date | None
    slot: str
    reason: str
    text: str

    def payload(self) -> dict[str, Any]:
        data = asdict(self)
        data["day"] = self.day.isoformat() if self.day else None
        return data


class AlertError(TransientError):
    """No channel could deliver the alert (it is tried again at the next pass)."""


def channels(settings: AlertSettings) -> list[str]:
    found = []
    if settings.webhook_url:
        found.append("webhook")
    if settings.smtp_host and settings.mail_to:
        found.append("email")
    return found


def _webhook(alert: Alert, settings: AlertSettings) -> None:
    try:
        reply = requests.post(settings.webhook_url, json=alert.payload(), timeout=settings.timeout_seconds,
                              headers={"User-Agent": "bantin-alerts"})
    except requests.RequestException as exc:
        raise AlertError(f"Không gửi được tới webhook {settings.webhook_url}: {exc.__class__.__name__}.",
                         transient=is_transient_exception(exc)) from exc
    if reply.status_code >= 300:
        raise AlertError(f"Webhook {settings.webhook_url} trả lời {reply.status_code}.",
                         transient=is_transient_status(reply.status_code))


def _email(alert: Alert, settings: AlertSettings) -> None:
    message = EmailMessage()
    message["Subject"] = f"[bantin] {alert.station_name or 'Tòa soạn'}: " + (
        "chưa có bản tin" if alert.kind == "late" else "lượt chạy đêm không thành công")
    message["From"] = settings.mail_from
    message["To"] = ", ".join(settings.mail_to)
    message.set_content(alert.text + "\n")
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout_seconds) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise AlertError(f"Không gửi được thư qua {settings.smtp_host}:{settings.smtp_port}: {exc}.") from exc


def send(alert: Alert, settings: AlertSettings) -> list[str]:
    """Tell the newsroom on every configured channel; returns the channels that delivered.

    Raises AlertError when none did, UserError when none is configured.
    """
    configured = channels(settings)
    if not configured:
        raise UserError("Chưa cấu hình nơi nhận cảnh báo.",
                        hint="Đặt [alerts] webhook_url, hoặc smtp_host và mail_to, trong bantin.toml.")
    delivered, errors = [], []
    for name, deliver in (("webhook", _webhook), ("email", _email)):
        if name not in configured:
            continue
        try:
            deliver(alert, settings)
            delivered.append(name)
        except AlertError as exc:
            errors.append(exc.message)
    if not delivered:
        raise AlertError(" ".join(errors))
    return delivered
