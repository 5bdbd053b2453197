"""Telling the newsroom about a problem: a webhook (JSON POST) and/or e-mail, as configured in [alerts].

Pure delivery: what to tell and whether it was told already is decided in flows/pipeline/watch.py.
"""

from flows.alerts.send import Alert, AlertError, channels, send

__all__ = ["Alert", "AlertError", "channels", "send"]
