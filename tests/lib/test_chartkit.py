import io
import math

from PIL import Image

from ipplatform.lib import chartkit


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(png)).size


def test_path_heatmap_and_network_render_png():
    assert (
        _size(
            chartkit.path_chart(
                "生命周期", [1, 3, 6], [1, 2, 2], ["2015", "2016", "2017"], xlabel="申请量", ylabel="申请人数"
            )
        )[0]
        > 500
    )
    w, h = _size(chartkit.heatmap_chart("功效矩阵", ["H01M10/00", "B60L58/00"], ["提高效率", "安全"], [[1, 2], [0, 3]]))
    w2, h2 = _size(
        chartkit.heatmap_chart("功效矩阵", [f"G{i}" for i in range(12)], ["提高效率", "安全"], [[1, 2]] * 12)
    )
    assert h2 > h  # taller with more rows
    assert (
        _size(
            chartkit.network_chart(
                "合作网络", {"a": "甲公司", "b": "乙大学", "c": "丙"}, [("a", "b", 2), ("b", "c", 1)]
            )
        )[0]
        > 500
    )


def test_circle_layout_is_even():
    pos = chartkit.circle_layout(["a", "b", "c", "d"])
    assert pos["a"] == (1.0, 0.0)
    assert math.isclose(pos["c"][0], -1.0) and all(math.isclose(math.hypot(*p), 1.0) for p in pos.values())
