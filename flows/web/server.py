"""Run the app with uvicorn (what `bantin serve` calls)."""

from __future__ import annotations

import os

from flows import runtime


def serve(content: str | None = None, host: str = "127.0.0.1", port: int = 8080, workers: int = 1,
          behind_proxy: bool = False) -> None:
    """Serve until interrupted. The store is migrated and the content folder read before the first request,
    so a mistake in either stops here with its message instead of in every worker."""
    import uvicorn

    runtime.store(content)
    if content is not None:
        os.environ["BANTIN_CONTENT"] = str(content)
    uvicorn.run("flows.web.app:from_environment", factory=True, host=host, port=port, workers=workers,
                # Behind nginx the scheme and the client's address come in X-Forwarded-* from 127.0.0.1; without a
                # proxy those headers would let any client pretend to be anyone (and dodge the login limit).
                proxy_headers=behind_proxy, forwarded_allow_ips="127.0.0.1", access_log=False,
                log_level="warning", server_header=False)
