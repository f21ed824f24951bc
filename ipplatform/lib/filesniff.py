"""Identify an uploaded file by its first bytes (magic numbers) and refuse executables and scripts."""

from __future__ import annotations

from dataclasses import dataclass

# (magic prefix, offset, mime, kind) — kinds: document, photo, audio, video
_SIGNATURES = [
    (b"%PDF-", 0, "application/pdf", "document"),
    (b"\xff\xd8\xff", 0, "image/jpeg", "photo"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "photo"),
    (b"GIF87a", 0, "image/gif", "photo"),
    (b"GIF89a", 0, "image/gif", "photo"),
    (b"II*\x00", 0, "image/tiff", "photo"),
    (b"MM\x00*", 0, "image/tiff", "photo"),
    (b"BM", 0, "image/bmp", "photo"),
    (b"ID3", 0, "audio/mpeg", "audio"),
    (b"\xff\xfb", 0, "audio/mpeg", "audio"),
    (b"\xff\xf3", 0, "audio/mpeg", "audio"),
    (b"#!AMR", 0, "audio/amr", "audio"),
    (b"OggS", 0, "audio/ogg", "audio"),
    (b"fLaC", 0, "audio/flac", "audio"),
    (b"\x1aE\xdf\xa3", 0, "video/webm", "video"),
    (b"PK\x03\x04", 0, "application/zip", "document"),  # docx / xlsx / zip archives
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "application/msword", "document"),  # doc / xls (OLE2)
    (b"{\\rtf", 0, "application/rtf", "document"),
]

_EXECUTABLE = [
    (b"MZ", "Windows可执行程序"),
    (b"\x7fELF", "Linux可执行程序"),
    (b"\xcf\xfa\xed\xfe", "macOS可执行程序"),
    (b"\xce\xfa\xed\xfe", "macOS可执行程序"),
    (b"\xca\xfe\xba\xbe", "Java/macOS可执行程序"),
    (b"\x00asm", "WebAssembly程序"),
    (b"#!", "脚本"),
]

_SCRIPT_EXTENSIONS = {
    "exe",
    "dll",
    "com",
    "scr",
    "msi",
    "bat",
    "cmd",
    "ps1",
    "vbs",
    "vbe",
    "js",
    "jse",
    "wsf",
    "wsh",
    "sh",
    "bash",
    "py",
    "pl",
    "php",
    "rb",
    "jar",
    "apk",
    "app",
    "elf",
    "bin",
    "lnk",
    "hta",
    "html",
    "htm",
    "svg",
}
_SCRIPT_MARKERS = (b"<script", b"<?php", b"<html", b"<svg", b"powershell", b"#!/")


@dataclass(frozen=True)
class Sniffed:
    mime: str
    kind: str  # document, photo, audio, video


class RefusedFile(ValueError):
    """The file is of a type that may not be uploaded; the message says why, in Chinese."""


def sniff(head: bytes, filename: str = "") -> Sniffed:
    """Classify a file from its first bytes (at least 64 are useful); raise RefusedFile for programs and scripts."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext in _SCRIPT_EXTENSIONS:
        raise RefusedFile(f"文件“{filename}”的扩展名 .{ext} 属于可执行程序或脚本，不能上传")
    if head.startswith(b"#!AMR"):
        return Sniffed("audio/amr", "audio")
    for magic, label in _EXECUTABLE:
        if head.startswith(magic):
            raise RefusedFile(f"文件“{filename or '上传文件'}”的内容是{label}，不能作为证据材料上传")
    for magic, offset, mime, kind in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return Sniffed(mime, kind)
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand.startswith(b"M4A"):
            return Sniffed("audio/mp4", "audio")
        if brand in (b"heic", b"heix", b"mif1"):
            return Sniffed("image/heic", "photo")
        return Sniffed("video/quicktime" if brand == b"qt  " else "video/mp4", "video")
    if head[:4] == b"RIFF" and len(head) >= 12:
        sub = head[8:12]
        if sub == b"WAVE":
            return Sniffed("audio/wav", "audio")
        if sub == b"AVI ":
            return Sniffed("video/x-msvideo", "video")
        if sub == b"WEBP":
            return Sniffed("image/webp", "photo")
    if head[:1] == b"\x00" and head[1:4] in (b"\x00\x01\xba", b"\x00\x01\xb3"):
        return Sniffed("video/mpeg", "video")
    if _is_text(head):
        lowered = head.lower()
        if any(marker in lowered for marker in _SCRIPT_MARKERS):
            raise RefusedFile(f"文件“{filename or '上传文件'}”含有网页脚本或程序代码，不能上传")
        return Sniffed("text/plain", "document")
    raise RefusedFile(
        f"无法识别文件“{filename or '上传文件'}”的类型：仅接受PDF、Word/Excel、图片、音频、视频和纯文本文件"
    )


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    for cut in range(4):  # the sample may end inside a multi-byte character
        try:
            head[: len(head) - cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    try:
        head.decode("gb18030")
        return True
    except UnicodeDecodeError:
        return False
