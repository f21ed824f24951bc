"""The bigram field's token text: the array layout for long texts equals the plain definition."""

import operator

from ipplatform.search.backends.tantivy_backend import bigrams, visible


def plain(text: str) -> str:
    text = visible(text)
    return " ".join(map(operator.add, text, text[1:]))


def test_long_and_short_texts_give_the_same_tokens_as_the_definition():
    texts = [
        "锂",
        "锂电",
        "一种锂离子电池正极材料及其制备方法",
        "一种锂离子电池正极材料，包括：磷酸铁锂 LiFePO4\n与导电剂\t𠀀𪚥混合" * 5,
        "a" * 23,
        "ab" * 12,
        "ab" * 13,
    ]
    for text in texts:
        assert bigrams(text) == plain(text)
    assert bigrams("锂电池 组" * 6).split(" ")[:5] == ["锂电", "电池", "池␣", "␣组", "组锂"]
