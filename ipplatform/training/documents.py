"""Certificate documents: Word (lib.worddoc) and PDF (matplotlib's PDF backend with the CJK font embedded)."""

from __future__ import annotations

import io

from django.utils import timezone

from ipplatform.lib import charts, worddoc

ISSUER = "山东省知识产权局 知识产权远程教育平台"


def _lines(cert) -> list[tuple[str, str]]:
    return [
        ("持证人", cert.holder_name),
        ("单位", cert.organization_name or "—"),
        ("课程/考试", cert.title.removesuffix("结业证书")),
        ("学时", f"{cert.hours}"),
        ("成绩", cert.score_text),
        ("颁发日期", timezone.localtime(cert.issued_at).strftime("%Y年%m月%d日")),
        ("验证码", cert.code),
    ]


def certificate_docx(cert, verify_url: str) -> bytes:
    """The certificate as a Word document."""
    doc = worddoc.new_document("结业证书", subtitle=ISSUER)
    doc.add_paragraph(f"{cert.holder_name}同志：")
    doc.add_paragraph(f"完成{cert.title.removesuffix('结业证书')}的学习和考核，特发此证。")
    worddoc.add_table(doc, ["项目", "内容"], _lines(cert))
    doc.add_paragraph(f"真伪查验：打开 {verify_url} 输入验证码 {cert.code}。")
    return worddoc.to_bytes(doc)


def certificate_pdf(cert, verify_url: str) -> bytes:
    """The certificate as a one-page A4 landscape PDF."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    family = charts.cjk_font_family()
    with plt.rc_context(
        {"font.sans-serif": [family, "DejaVu Sans"] if family else ["DejaVu Sans"], "pdf.fonttype": 42}
    ):
        fig = plt.figure(figsize=(11.69, 8.27))
        ax = fig.add_axes([0, 0, 1, 1])
        ax.set_axis_off()
        ax.add_patch(
            matplotlib.patches.Rectangle((0.03, 0.04), 0.94, 0.92, fill=False, linewidth=4, edgecolor="#1b4f8c")
        )
        ax.text(0.5, 0.84, "结 业 证 书", ha="center", fontsize=40, color="#1b4f8c")
        ax.text(0.5, 0.76, ISSUER, ha="center", fontsize=14, color="#555555")
        ax.text(
            0.5,
            0.64,
            f"{cert.holder_name} 同志完成{cert.title.removesuffix('结业证书')}的学习和考核，特发此证。",
            ha="center",
            fontsize=16,
        )
        y = 0.54
        for label, value in _lines(cert):
            ax.text(0.30, y, f"{label}：", ha="right", fontsize=14)
            ax.text(0.31, y, value, ha="left", fontsize=14)
            y -= 0.055
        ax.text(0.5, 0.09, f"真伪查验：{verify_url}（验证码 {cert.code}）", ha="center", fontsize=11, color="#555555")
        buf = io.BytesIO()
        fig.savefig(buf, format="pdf")
        plt.close(fig)
    return buf.getvalue()


def text_to_pdf(title: str, text: str, *, chars_per_line: int = 38, lines_per_page: int = 38) -> bytes:
    """A plain A4 PDF of a Chinese text (reading material for document chapters), wrapped by characters."""
    import textwrap

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    lines: list[str] = []
    for para in (text or "").splitlines():
        para = para.strip()
        if para:
            lines.extend(textwrap.wrap(para, chars_per_line) or [""])
            lines.append("")
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]
    family = charts.cjk_font_family()
    buf = io.BytesIO()
    with plt.rc_context(
        {"font.sans-serif": [family, "DejaVu Sans"] if family else ["DejaVu Sans"], "pdf.fonttype": 42}
    ):
        with PdfPages(buf) as pdf:
            for n, page in enumerate(pages, 1):
                fig = plt.figure(figsize=(8.27, 11.69))
                ax = fig.add_axes([0, 0, 1, 1])
                ax.set_axis_off()
                if n == 1:
                    ax.text(0.5, 0.95, title, ha="center", fontsize=16)
                y = 0.91
                for line in page:
                    ax.text(0.08, y, line, fontsize=11, va="top")
                    y -= 0.022
                ax.text(0.5, 0.03, f"{n} / {len(pages)}", ha="center", fontsize=9, color="#666666")
                pdf.savefig(fig)
                plt.close(fig)
    return buf.getvalue()
