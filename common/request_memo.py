"""Reads made once per request: two parts of one page that need the same rows share one query.

A page is put together from parts that different apps contribute (a session page's cards, the home's items), and
two of them may read the same rows: the preparation card shows the team's priorities as an answer, the action
plans card shows them in full. :func:`remembered` keeps what ``compute()`` returned under a key for the rest of
the request (:class:`RequestMemoMiddleware` opens and closes that scope); outside a request (the worker, a
command, a test calling a selector) it simply computes.

**Never a value older than a write.** Any write to the database while a request runs forgets everything
remembered in it (the page cache's write watcher calls :func:`forget`), so a request that reads, writes and reads
again sees its own write.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["RequestMemoMiddleware", "forget", "remembered"]

T = TypeVar("T")
_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("request_memo", default=None)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per request under ``key`` (every call outside a request computes)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget() -> None:
    """A write: nothing read before it is served again in this request."""
    memo = _memo.get()
    if memo:
        memo.clear()


class RequestMemoMiddleware:
    """Opens the request's memo and closes it with the response (before a streamed body is read, which reads
    afresh)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
