"""What is made from a file's content, made once per process: a check, the preview and the tests read the
same unchanged files again and again, and checking a table or parsing a YAML file is the costly part.

A cache holds the newest `size` results; the oldest goes first. A result is made outside the lock (two
threads may both make it once) and added under it: the preview checks the year in one thread while
another writes the pages, and evicting the oldest key takes two steps."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, ItemsView
from typing import Generic, TypeVar

_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")


class ContentCache(Generic[_K, _V]):
    """Results by content key, at most `size` of them. Callers copy what they hand on if it is mutable."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: dict[_K, _V] = {}
        self._lock = threading.Lock()

    def get(self, key: _K, make: Callable[[], _V]) -> _V:
        """The result for `key`, made by `make()` the first time (and again once it has been evicted)."""
        found = self._values.get(key)
        if found is None:
            found = make()
            with self._lock:
                if key not in self._values:  # another thread may have added it meanwhile
                    if len(self._values) >= self.size:
                        self._values.pop(next(iter(self._values)))  # the oldest
                    self._values[key] = found
        return found

    def items(self) -> ItemsView[_K, _V]:
        return self._values.items()
