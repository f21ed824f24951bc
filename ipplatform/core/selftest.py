"""A tiny job used to check the background-job machinery end to end (tests and `manage.py check_jobs`)."""


def count_to(*, progress, n: int = 10, fail_at: int | None = None):
    for i in range(1, n + 1):
        if fail_at == i:
            raise ValueError(f"第{i}步出错（测试）")
        progress(i, n, f"已完成 {i}/{n}")
    return {"summary": f"共计数 {n} 次"}
