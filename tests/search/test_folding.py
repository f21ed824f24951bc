"""Folding: 繁/简, full/half width and Latin case are the same on both sides; Chinese terms match as substrings."""

from ipplatform.search import services

from .factories import make_patent


def test_traditional_fullwidth_and_case_fold_on_index_and_query(db, search_dir):
    make_patent("2016100000011", "一种鋰離子電池隔膜", abstract="採用ＰＥ材料製成的LED燈具")
    make_patent("2016100000022", "一种石墨烯导热膜", abstract="石墨烯粉体")
    services.rebuild_index()
    for q in ["锂离子电池", "鋰離子", "TI=电池", "led灯", "ＬＥＤ", "pe材料", "名称=(離子 AND 隔膜)"]:
        assert services.matching_ids(query=q) == ["2016100000011"], q
    assert services.matching_ids(query="石墨") == ["2016100000022"]  # 石墨 finds 石墨烯
    assert services.matching_ids(query="墨烯导") == ["2016100000022"]
    assert services.matching_ids(query="烯石") == []  # substrings, not bags of characters
    hit = services.search(query="鋰離子").hits[0]
    assert "<mark>鋰離子</mark>" in hit["highlights"]["title"]
