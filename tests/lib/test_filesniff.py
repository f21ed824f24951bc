import pytest

from ipplatform.lib.filesniff import RefusedFile, sniff


@pytest.mark.parametrize(
    "head,name,mime,kind",
    [
        (b"%PDF-1.7\n...", "a.pdf", "application/pdf", "document"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "p.jpg", "image/jpeg", "photo"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "p.png", "image/png", "photo"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00", "v.mp4", "video/mp4", "video"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "a.wav", "audio/wav", "audio"),
        (b"#!AMR\n", "a.amr", "audio/amr", "audio"),
        ("询问笔录：当事人陈述".encode(), "note.txt", "text/plain", "document"),
        ("询问笔录".encode("gb18030"), "note.txt", "text/plain", "document"),
    ],
)
def test_accepts_evidence_types(head, name, mime, kind):
    result = sniff(head, name)
    assert (result.mime, result.kind) == (mime, kind)


@pytest.mark.parametrize(
    "head,name,word",
    [
        (b"MZ\x90\x00\x03", "photo.jpg", "Windows可执行程序"),
        (b"\x7fELF\x02\x01", "video.mp4", "Linux可执行程序"),
        (b"#!/bin/sh\nrm -rf /", "readme.txt", "脚本"),
        (b"<html><script>alert(1)</script>", "page.txt", "脚本"),
        (b"%PDF-1.4", "evil.exe", ".exe"),
        (b"\x00\x01\x02\x03\x04", "blob.dat", "无法识别"),
    ],
)
def test_refuses_programs_scripts_and_unknown(head, name, word):
    with pytest.raises(RefusedFile) as err:
        sniff(head, name)
    assert word in str(err.value)
