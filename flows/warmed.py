"""Imported once by the runner's forkserver (flows/warm.py), before it forks any flow run: the work a run would
otherwise repeat in its first second, every time. Only work whose result stays good in a fork: imports and
compiled regular expressions; never a thread, a connection or an open file.
"""

from __future__ import annotations

import importlib

# What a night's run imported on first use, after its flow modules (measured: the modules a first run added to
# sys.modules): Prefect's engine extras, the store's SQLite dialect, the inbox's .docx reader, the MP3 encoder
# and tagger, legacy encodings.
LATER_IMPORTS = ("prefect.utilities.visualization", "prefect.utilities.engine", "fastapi", "opentelemetry._logs",
                 "pydantic.color", "sqlite3", "sqlalchemy.dialects.sqlite", "sqlalchemy.dialects.sqlite.pysqlite",
                 "flows.store.tags", "anyio._backends._asyncio", "xml.parsers.expat", "_strptime", "docx",
                 "encodings.cp1258", "lameenc", "mutagen.mp3", "mutagen.id3")

# soupsieve compiles its own regular expressions on first use (0.1-0.3 s of CPU), and page sources' selectors are
# checked with it every time sources.toml is read: one selector of each kind compiles them here.
SELECTORS = ("a", "div.content p", "#main > article h1.title", "ul li:first-child a[href]", ".a, .b + .c ~ .d",
             "a:not(.x)", "p:nth-of-type(2n+1)", "[data-x='y'] span")


def warm() -> None:
    """Only ever a head start: what fails here is done (or fails, and says so) in the run, as without it."""
    for name in LATER_IMPORTS:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S110 - a missing extra or a changed library: the run imports it itself
            pass
    try:
        import soupsieve

        for selector in SELECTORS:
            soupsieve.compile(selector)
    except Exception:  # noqa: BLE001, S110
        pass


warm()
