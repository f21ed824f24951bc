"""Generate the demo training video data/training/patent_law_intro.mp4 from slides and a synthetic voice.

Slides are drawn with Pillow (Noto Sans CJK), narration is spoken by Debian's espeak-ng (voice "cmn"), and Debian's
ffmpeg encodes H.264 + AAC with the moov atom first (+faststart) so browsers can seek with HTTP range requests.

    python scripts/make_training_video.py [--out data/training/patent_law_intro.mp4]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
WIDTH, HEIGHT = 640, 360

# (slide title, slide lines, narration). The texts paraphrase articles of 专利法 (2020) shipped in data/training/.
SLIDES = [
    (
        "专利法基础 · 第一讲",
        ["山东省知识产权局 远程教育平台", "演示课程（平台自动生成）"],
        "专利法基础，第一讲。本视频由平台用幻灯片和合成语音自动生成。",
    ),
    (
        "立法目的（第一条）",
        ["保护专利权人的合法权益", "鼓励发明创造，推动其应用", "提高创新能力，促进科技进步和经济社会发展"],
        "专利法第一条规定立法目的：保护专利权人的合法权益，鼓励发明创造，推动发明创造的应用。",
    ),
    (
        "发明创造（第二条）",
        [
            "发明：产品、方法或者其改进的新技术方案",
            "实用新型：产品形状、构造的实用新技术方案",
            "外观设计：产品整体或局部的形状、图案、色彩",
        ],
        "第二条规定，发明创造是指发明、实用新型和外观设计。",
    ),
    (
        "授权条件（第二十二条）",
        ["新颖性", "创造性", "实用性"],
        "授予专利权的发明和实用新型，应当具备新颖性、创造性和实用性。",
    ),
    (
        "保护期限（第四十二条）",
        ["发明专利权 20 年", "实用新型专利权 10 年", "外观设计专利权 15 年", "均自申请日起计算"],
        "发明专利权的期限为二十年，实用新型专利权的期限为十年，外观设计专利权的期限为十五年，均自申请日起计算。",
    ),
    (
        "小结",
        ["完成观看后可参加“专利法基础测验”", "通过后可下载带验证码的结业证书"],
        "本讲结束。请参加专利法基础测验，通过后可以下载结业证书。",
    ),
]


def draw_slide(title: str, lines: list[str], index: int, path: Path) -> None:
    img = Image.new("RGB", (WIDTH, HEIGHT), (245, 248, 252))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, WIDTH, 64], fill=(27, 79, 140))
    title_font = ImageFont.truetype(FONT, 28)
    body_font = ImageFont.truetype(FONT, 22)
    small = ImageFont.truetype(FONT, 14)
    d.text((24, 14), title, font=title_font, fill="white")
    y = 100
    for line in lines:
        d.text((40, y), "• " + line, font=body_font, fill=(30, 30, 30))
        y += 44
    d.text(
        (24, HEIGHT - 28),
        f"山东省知识产权公共服务平台 · 演示课程 · {index}/{len(SLIDES)}",
        font=small,
        fill=(110, 110, 110),
    )
    img.save(path)


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def build(out: Path) -> None:
    for tool in ("ffmpeg", "espeak-ng"):
        if not shutil.which(tool):
            raise SystemExit(f"需要 {tool}：apt-get install ffmpeg espeak-ng")
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        segments = []
        for i, (title, lines, narration) in enumerate(SLIDES, 1):
            png, wav, seg = tmpdir / f"s{i}.png", tmpdir / f"s{i}.wav", tmpdir / f"s{i}.mp4"
            draw_slide(title, lines, i, png)
            subprocess.run(["espeak-ng", "-v", "cmn", "-s", "170", "-w", str(wav), narration], check=True)
            seconds = wav_seconds(wav) + 1.0
            subprocess.run(
                [
                    "ffmpeg",
                    "-v",
                    "error",
                    "-y",
                    "-loop",
                    "1",
                    "-framerate",
                    "5",
                    "-i",
                    str(png),
                    "-i",
                    str(wav),
                    "-af",
                    "apad",
                    "-t",
                    f"{seconds:.2f}",
                    "-c:v",
                    "libx264",
                    "-preset",
                    "veryslow",
                    "-tune",
                    "stillimage",
                    "-crf",
                    "30",
                    "-pix_fmt",
                    "yuv420p",
                    "-r",
                    "5",
                    "-g",
                    "10",
                    "-c:a",
                    "aac",
                    "-b:a",
                    "32k",
                    "-ac",
                    "1",
                    "-ar",
                    "22050",
                    str(seg),
                ],
                check=True,
            )
            segments.append(seg)
        listing = tmpdir / "list.txt"
        listing.write_text("".join(f"file '{s}'\n" for s in segments))
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "concat",
                "-safe",
                "0",
                "-i",
                str(listing),
                "-c",
                "copy",
                "-movflags",
                "+faststart",
                str(out),
            ],
            check=True,
        )
    print(f"{out} {out.stat().st_size} bytes")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "data" / "training" / "patent_law_intro.mp4"))
    build(Path(parser.parse_args().out))
