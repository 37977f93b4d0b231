"""Serve the few files of a page's static folder by name, and nothing else.

Sanic's folder handler passes any requested name to the file system, so a name
that is too long or has a NUL byte or a path through a file ended in a 500. Here
the folder is listed once at start and a request names one of those files or
gets a 404.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Dict

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, file

from desk.api_docs import Answer, documented
from desk.errors import ApiError


def _content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith("javascript") else kind


def serve_folder(bp: Blueprint, folder: Path, name: str = "static") -> None:
    """Add ``GET <bp prefix>/static/<file name>`` for the files directly in ``folder``."""
    files: Dict[str, Path] = {path.name: path for path in folder.iterdir() if path.is_file()}

    @documented(
        f"A static file of {bp.url_prefix} (scripts and styles)",
        {200: Answer("A static file", media="*/*", schema={"type": "string"})},
        errors=(404,),
    )
    async def static_file(_request: Request, path: str) -> HTTPResponse:
        found = files.get(path)
        if found is None:
            raise ApiError(404, "not_found", "No such file.")
        return await file(found, mime_type=_content_type(found), headers={"Cache-Control": "no-cache"})

    bp.add_route(static_file, "/static/<path:path>", methods=["GET"], name=name)
