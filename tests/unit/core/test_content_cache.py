"""The per-process cache of what is made from a file's content (core/content_cache.py)."""

from __future__ import annotations

from rapportbok.core.content_cache import ContentCache


def test_a_result_is_made_once_per_key_and_the_oldest_goes_first() -> None:
    made: list[str] = []
    cache: ContentCache[str, str] = ContentCache(2)

    def make(key: str) -> str:
        made.append(key)
        return key.upper()

    for key in ("a", "b", "a", "c", "a"):
        assert cache.get(key, lambda key=key: make(key)) == key.upper()
    assert made == ["a", "b", "c", "a"]  # "a" again only after "c" pushed it out
    assert [key for key, _ in cache.items()] == ["c", "a"]
