"""A tiny job used to check the background-job machinery end to end (tests and `manage.py check_jobs`)."""


def count_to(*, progress, n: int = 10, fail_at: int | None = None, step_seconds: float = 0):
    import time

    for i in range(1, n + 1):
        if step_seconds:
            time.sleep(step_seconds)
        if fail_at == i:
            raise ValueError(f"第{i}步出错（测试）")
        progress(i, n, f"已完成 {i}/{n}")
    return {"summary": f"共计数 {n} 次"}


def resumable_count(*, progress, n: int = 10, path: str, step_seconds: float = 0.2):
    """A resumable job for the worker-loss test: appends one line per step to `path` and continues after the
    last line written, the way an idempotent import continues after its last committed batch."""
    import time
    from pathlib import Path

    p = Path(path)
    done = len(p.read_text().splitlines()) if p.exists() else 0
    for i in range(done + 1, n + 1):
        time.sleep(step_seconds)
        with p.open("a") as fh:
            fh.write(f"{i}\n")
        progress(i, n, f"已完成 {i}/{n}（从第 {done + 1} 步开始）")
    return {"summary": f"共计数 {n} 次，本次从第 {done + 1} 步开始"}
