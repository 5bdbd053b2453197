"""The page printed to PDF by headless Chromium (its own print engine: the page's @page rules give A4 and the
margins). Chromium is a Debian package (apt-get install chromium), not a Python dependency: without it the
report is still written, and says the PDF could not be made."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from flows.errors import OperationalError, UserError

TIMEOUT_SECONDS = 180


class PdfUnavailable(UserError):
    """No Chromium to print with."""


def find_chromium(configured: str = "") -> str:
    for candidate in (configured, "chromium", "chromium-browser", "google-chrome"):
        if candidate and (found := shutil.which(candidate)):
            return found
    raise PdfUnavailable("Không tìm thấy trình duyệt Chromium để in báo cáo ra PDF.",
                         hint="Cài bằng lệnh 'apt-get install chromium', hoặc ghi đường dẫn ở [report] chromium "
                              "trong bantin.toml. Bản HTML, XLSX và CSV vẫn được ghi.")


def print_pdf(page: Path, target: Path, chromium: str = "") -> Path:
    """Print an HTML file to `target` (written whole, then renamed into place)."""
    exe = find_chromium(chromium)
    partial = target.with_name(f".{target.name}.tmp")
    with tempfile.TemporaryDirectory(prefix="bantin-pdf-") as profile:
        args = [exe, "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
                f"--print-to-pdf={partial}", page.resolve().as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        try:
            done = subprocess.run(args, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            partial.unlink(missing_ok=True)
            raise OperationalError(f"Chromium không in xong báo cáo sau {TIMEOUT_SECONDS} giây.", where=str(page),
                                   hint="Máy đang bận: chạy lại lệnh sau.", transient=True) from None
    if done.returncode != 0 or not partial.is_file() or partial.read_bytes()[:5] != b"%PDF-":
        partial.unlink(missing_ok=True)
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"mã lỗi {done.returncode}"]
        raise OperationalError(f"Chromium không in được báo cáo ra PDF ({detail[0][:200]}).", where=str(page),
                               hint="Thử mở tệp HTML bằng trình duyệt rồi in ra PDF.")
    partial.replace(target)
    return target
