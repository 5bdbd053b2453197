"""Where the speech cache and the bulletins live when a province's machines share them ([storage] settings).

Local folders stay the default and the fast path: with no [storage] URL nothing here touches the network.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flows.audio import BulletinResult, SynthesisCache
from flows.audio.assemble import existing_sha256
from flows.audio.atomic import write_atomic
from flows.audio.shared import SharedFolder
from flows.errors import OperationalError
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


def bring_home(settings: Settings, bulletin: BulletinResult) -> None:
    """Make this machine's audio_out hold a bulletin a worker wrote, before the run records it: what is recorded
    is what `bantin serve` here serves.

    A worker on this machine, or one sharing its audio_out folder, left it here already: nothing to copy. A worker
    on another machine put its copy on [storage] audio_out: it is taken from there, MP3 first, manifest last.
    Raises OperationalError when neither holds it, TransientError when the storage cannot be reached."""
    files, sha256 = [bulletin.path, bulletin.transcript_path, bulletin.manifest_path], bulletin.sha256
    if existing_sha256(files[0]) == sha256:
        return
    url = settings.storage.audio_out
    root = settings.audio.output
    if not url:
        raise OperationalError(
            f"Bản tin {files[0].relative_to(root).as_posix()} được ghép trên máy khác nhưng không có trong thư mục "
            "audio_out của máy này: cần cho các máy dùng chung thư mục audio_out, hoặc đặt [storage] audio_out trong "
            "bantin.toml.")
    shared = SharedFolder(url, storage_options(settings))
    for path in files:
        name = path.relative_to(root).as_posix()
        data = shared.read(name)
        if data is None or (path == files[0] and hashlib.sha256(data).hexdigest() != sha256):
            raise OperationalError(f"Kho lưu trữ chung {url} không có bản tin {name} mà máy ghép vừa ghi; "
                                   "chạy lại lượt tổng hợp để máy ghép sao chép lại.")
        write_atomic(path, data)
