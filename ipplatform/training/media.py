"""Serving stored files: HTTP range requests for video (seekable, RFC 7233) and document previews
(PDF inline; Office files converted to PDF by LibreOffice when it is installed)."""

from __future__ import annotations

import mimetypes
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

CHUNK = 64 * 1024
MAX_RANGE = 8 * 1024 * 1024  # bytes served for one open-ended range ("bytes=N-"); players ask again for the rest
OFFICE_SUFFIXES = {".doc", ".docx", ".ppt", ".pptx", ".xls", ".xlsx", ".odt", ".odp", ".ods", ".rtf"}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str, size: int) -> tuple[int, int] | None | str:
    """(first, last) byte positions of a single range; None when there is no usable Range header; "unsatisfiable"."""
    m = _RANGE.match((header or "").strip())
    if not m or (not m.group(1) and not m.group(2)):
        return None  # absent, multi-range or malformed: serve the whole file (RFC 7233 permits ignoring Range)
    first, last = m.group(1), m.group(2)
    if not first:  # suffix range: the last N bytes
        n = int(last)
        if n == 0 or size == 0:
            return "unsatisfiable"
        return max(size - n, 0), size - 1
    start = int(first)
    if start >= size:
        return "unsatisfiable"
    end = min(int(last), size - 1) if last else min(size - 1, start + MAX_RANGE - 1)
    if end < start:
        return None
    return start, end


def _iter_file(path: Path, start: int, length: int):
    with path.open("rb") as f:
        f.seek(start)
        left = length
        while left > 0:
            data = f.read(min(CHUNK, left))
            if not data:
                break
            left -= len(data)
            yield data


def ranged_response(request, path: Path, content_type: str | None = None):
    """200 with the whole file, 206 with the requested byte range, or 416 when the range lies beyond the end."""
    size = path.stat().st_size
    content_type = content_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    rng = parse_range(request.headers.get("Range", ""), size)
    if rng == "unsatisfiable":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif rng is None:
        response = FileResponse(path.open("rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        start, end = rng
        response = StreamingHttpResponse(
            _iter_file(path, start, end - start + 1), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def libreoffice() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(source: Path, *, timeout: int = 120) -> bytes | None:
    """Convert an Office document to PDF with LibreOffice (headless); None when LibreOffice is missing or fails."""
    exe = libreoffice()
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run(
                [
                    exe,
                    "--headless",
                    "--norestore",
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        except (subprocess.SubprocessError, OSError):
            return None
        out = Path(tmp) / (source.stem + ".pdf")
        return out.read_bytes() if out.exists() else None
