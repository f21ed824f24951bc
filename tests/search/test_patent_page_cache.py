"""The patent page's similar-patent lists come from the cache (namespace "similar") until a record changes; the page
stays within a query budget once warm."""

from ipplatform.patents.models import Patent
from ipplatform.patents.signals import patents_changed
from ipplatform.search import services


def test_similar_lists_cached_until_records_change(
    real_patents, client, monkeypatch, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    pid = Patent.objects.filter(title__contains="电池").order_by("pk").first().pk
    calls = []
    real = services.similar_patents
    monkeypatch.setattr(services, "similar_patents", lambda **kw: calls.append(kw["patent"].pk) or real(**kw))
    first = client.get(f"/patents/{pid}/")
    assert first.status_code == 200 and first.context["similar"] and calls == [pid]
    with django_assert_max_num_queries(10):
        again = client.get(f"/patents/{pid}/")
    assert calls == [pid] and again.context["similar"] == first.context["similar"]  # from the cache
    other = first.context["similar"][0]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        Patent.objects.filter(pk=other).update(title="改过的名称")
        patents_changed.send(sender=Patent, ids=[other], deleted=[])
    after = client.get(f"/patents/{pid}/")
    assert calls == [pid, pid]  # recomputed: a neighbour changed
    assert any(r["title"] == "改过的名称" for r in after.context["similar"])
