"""Photo files on disk under random ids, outside any served folder (blocking: run off the loop)."""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path

_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_id() -> str:
    """A fresh, unguessable attachment id."""
    return secrets.token_urlsafe(24)


def is_valid_id(attachment_id: str) -> bool:
    """Whether ``attachment_id`` has the shape of an id (and so is a safe file name)."""
    return _ID.fullmatch(attachment_id) is not None


def path_of(storage_dir: Path, attachment_id: str, thumbnail: bool = False) -> Path:
    """Where the photo (or its thumbnail) with ``attachment_id`` is kept."""
    if not is_valid_id(attachment_id):
        raise ValueError("malformed attachment id")
    return storage_dir / (f"{attachment_id}.thumb" if thumbnail else attachment_id)


def ensure_dir(storage_dir: Path) -> None:
    """Create the storage folder, readable by the desk's user only."""
    storage_dir.mkdir(parents=True, exist_ok=True, mode=0o700)


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` atomically: to a temporary file first, then renamed into place."""
    ensure_dir(path.parent)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_pair(storage_dir: Path, attachment_id: str, data: bytes, thumbnail: bytes) -> None:
    """Store a photo and its thumbnail."""
    write_file(path_of(storage_dir, attachment_id, thumbnail=True), thumbnail)
    write_file(path_of(storage_dir, attachment_id), data)


def remove_pair(storage_dir: Path, attachment_id: str) -> None:
    """Delete a photo and its thumbnail if present."""
    for thumbnail in (False, True):
        path_of(storage_dir, attachment_id, thumbnail).unlink(missing_ok=True)
