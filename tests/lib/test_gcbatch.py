import gc

from ipplatform.lib.gcbatch import between_batches


def _cycles(n: int) -> None:
    for _ in range(n):
        a: list = []
        a.append(a)  # a cycle that only the cyclic collector frees


def test_collection_runs_only_between_batches_and_frees_the_batch_cycles():
    gc.collect()
    assert gc.isenabled()
    with between_batches() as collect:
        assert not gc.isenabled()
        before = gc.get_count()[0]
        _cycles(5000)  # far past the automatic threshold of 700
        assert gc.get_count()[0] >= before + 5000  # nothing collected them meanwhile
        assert collect() >= 5000
        assert gc.get_count()[0] < 100
    assert gc.isenabled()


def test_collection_stays_off_when_it_was_off_before():
    gc.disable()
    try:
        with between_batches():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
