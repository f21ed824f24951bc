from ipplatform.lib import markup


def test_markdown_is_rendered():
    html = markup.render("## 标题\n\n- 一\n- 二\n\n**粗** [链接](https://example.org)")
    assert "<h2>标题</h2>" in html and "<li>一</li>" in html and "<strong>粗</strong>" in html
    assert 'href="https://example.org"' in html and "noopener" in html


def test_scripts_styles_and_handlers_are_removed():
    html = markup.render(
        '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a><p style="color:red" onclick="y()">p</p>'
    )
    assert (
        "<script" not in html
        and "onerror" not in html
        and "javascript:" not in html
        and "onclick" not in html
        and "style=" not in html
    )


def test_plain_summary():
    assert markup.plain("## 标题\n\n正文**加粗**内容", 6) == "标题 正文加…"
