"""Where the speech cache and the bulletins live when a province's machines share them ([storage] settings).

Local folders stay the default and the fast path: with no [storage] URL nothing here touches the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flows.audio import SynthesisCache
from flows.audio.shared import SharedFolder
from flows.settings import Settings


def storage_options(settings: Settings) -> dict[str, Any]:
    """fsspec's options for the storage URLs: the endpoint and keys of S3-compatible storage, when set
    (otherwise s3fs finds them as boto does: AWS_* variables, ~/.aws)."""
    storage = settings.storage
    options: dict[str, Any] = {}
    if storage.endpoint_url:
        options["endpoint_url"] = storage.endpoint_url
    if storage.key:
        options["key"] = storage.key
    if storage.secret.get_secret_value():
        options["secret"] = storage.secret.get_secret_value()
    if storage.region:
        options["client_kwargs"] = {"region_name": storage.region}
    return options


def speech_cache(settings: Settings) -> SynthesisCache:
    """The speech cache: the local folder, with the shared one behind it when [storage] speech_cache is set."""
    url = settings.storage.speech_cache
    return SynthesisCache(settings.audio.cache, SharedFolder(url, storage_options(settings)) if url else None)


def copy_bulletin(settings: Settings, files: list[Path]) -> None:
    """Copy a bulletin's files (MP3 first, manifest last) to [storage] audio_out, under the same names as in
    the local audio_out; a file already there with the same size is left alone. Raises TransientError when the
    storage cannot be reached."""
    url = settings.storage.audio_out
    if not url:
        return
    shared = SharedFolder(url, storage_options(settings))
    root = settings.audio.output
    for path in files:
        name = path.relative_to(root).as_posix()
        data = path.read_bytes()
        if shared.size(name) != len(data):
            shared.write(name, data)
