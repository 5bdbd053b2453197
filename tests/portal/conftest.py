"""Portal fixtures: the Nu HTML Checker (npm package vnu-jar, run with Java), and parsing helpers that read the
output the way a browser does (html5lib implements the WHATWG parsing algorithm)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest


def _find_vnu() -> Path | None:
    candidates = [os.environ.get("BANTIN_VNU_JAR", "")]
    npm = shutil.which("npm")
    if npm:
        root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True).stdout.strip()
        candidates.append(f"{root}/vnu-jar/build/dist/vnu.jar")
    candidates.append(str(Path(__file__).resolve().parents[2] / ".ci" / "node_modules" / "vnu-jar" / "build" / "dist"
                          / "vnu.jar"))
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


@pytest.fixture(scope="session")
def vnu() -> "Validator":
    jar, java = _find_vnu(), shutil.which("java")
    if jar is None or java is None:
        message = ("The Nu HTML Checker is not installed (npm install -g vnu-jar, and Java 17: "
                   "apt-get install default-jre-headless; .ci/run does both)")
        if os.environ.get("BANTIN_CI"):
            pytest.fail(message)
        pytest.skip(message)
    return Validator(java, jar)


class Validator:
    def __init__(self, java: str, jar: Path) -> None:
        self.java, self.jar = java, jar

    def errors(self, files: Iterable[Path]) -> list[str]:
        """Every error the checker reports for these HTML files, as 'file:line: message'."""
        paths = [str(f) for f in files]
        result = subprocess.run([self.java, "-Xss4m", "-jar", str(self.jar), "--errors-only", "--format", "json",
                                 *paths], capture_output=True, text=True, timeout=600)
        report = json.loads(result.stderr or result.stdout or '{"messages": []}')
        return [f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m.get('message', '')}"
                for m in report.get("messages", []) if m.get("type") in {"error", "non-document-error"}]

