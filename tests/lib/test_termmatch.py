"""ipplatform.lib.termmatch: terms, shared terms, BM25, IPC proximity."""

from ipplatform.lib import termmatch as tm


def test_terms_drop_boilerplate_and_fold_width():
    terms = tm.terms("本实用新型公开了一种钢筋混凝土轨枕，所述轨枕本体设有Ｕ型预留孔")
    assert "本实用新型" not in terms and "所述" not in terms and "一种" not in terms
    assert "钢筋" in terms or "钢筋混凝土" in terms
    assert "轨枕" in terms


def test_shared_terms_are_in_both_texts_most_specific_first():
    shared = tm.shared_terms("空调器除霜控制方法，减少化霜时间", "一种空调器的化霜控制装置，缩短化霜时间")
    assert "化霜" in shared and "空调器" in shared
    assert "减少" not in shared
    assert tm.shared_terms("益生菌片剂", "钢筋混凝土轨枕") == []


def test_bm25_ranks_the_relevant_text_first():
    index = tm.BM25({"a": "钢筋混凝土轨枕 预留孔 钢筋架", "b": "益生菌片剂 低温包衣", "c": "混凝土搅拌站 粉料仓"})
    ranked = index.score("混凝土轨枕的钢筋架")
    assert ranked[0][0] == "a" and "b" not in dict(ranked)


def test_ipc_proximity_levels():
    assert tm.ipc_parts("H01M10/05") == ("H", "H01", "H01M", "H01M10")
    assert tm.ipc_proximity(["H01M10/05"], ["H01M10/38"]) == (1.0, "H01M10", "同一大组")
    assert tm.ipc_proximity(["H01M10/05"], ["H01M4/13"]) == (0.75, "H01M", "同一小类")
    assert tm.ipc_proximity(["H01M10/05"], ["H01L21/00"]) == (0.5, "H01", "同一大类")
    assert tm.ipc_proximity(["H01M10/05"], ["A23L33/135"]) == (0.0, "", "")
    assert tm.split_codes("f25d21/14; E01B，x9") == ["F25D21/14", "E01B"]
