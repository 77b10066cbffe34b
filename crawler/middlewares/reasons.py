"""Every failed download carries a reason a user can read (never `failed …: `)."""

from __future__ import annotations

import contextlib

from scrapy.exceptions import IgnoreRequest


def reason(exc: BaseException) -> str:
    """One line saying why a download failed."""
    text = " ".join(str(exc).split())
    cause = exc.__cause__
    if cause is not None and getattr(cause, "reasons", None):
        exc = cause  # Scrapy wraps twisted's ResponseFailed in DownloadFailedError(str(...))
    nested = getattr(exc, "reasons", None)
    if nested:  # twisted's ResponseNeverReceived / ResponseFailed wrap their causes
        inner = "; ".join(_failure_text(f) for f in nested)
        text = f"{_names.get(type(exc).__name__, type(exc).__name__)}: {inner}"
    if not text or text in ("[]", "None"):
        text = _names.get(type(exc).__name__, type(exc).__name__)
    return text


def _failure_text(failure) -> str:
    value = getattr(failure, "value", failure)
    text = " ".join(str(value).split())
    name = type(value).__name__
    return f"{name}: {text}" if text and name not in text else (text or name)


_names = {
    "ResponseNeverReceived": "the server closed the connection before answering",
    "ResponseFailed": "the answer was cut off",
    "ConnectionLost": "the connection was lost",
    "ConnectionDone": "the connection was closed",
    "ConnectionRefusedError": "connection refused",
    "TimeoutError": "timed out",
    "IgnoreRequest": "request dropped",
    "CancelledError": "download cancelled",
    "ResponseDataLossError": "the answer was cut off before its announced end (data loss)",
    "DownloadTimeoutError": "timed out",
    "DownloadConnectionRefusedError": "connection refused",
    "PotentialDataLoss": "the body may be incomplete (no Content-Length and the connection "
                         "closed)",
}


class FailureReasonMiddleware:
    """Gives exceptions with an empty or unreadable message a one-line reason, before retry
    and the spider's errback log them."""

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_exception(self, request, exception):
        text = str(exception).strip()
        if not text or getattr(exception, "reasons", None) or text.startswith("[<"):
            with contextlib.suppress(AttributeError, TypeError):  # immutable: leave it
                exception.args = (reason(exception),)
        if isinstance(exception, IgnoreRequest) and not str(exception).strip():
            exception.args = ("request dropped by a downloader middleware",)
        return None
