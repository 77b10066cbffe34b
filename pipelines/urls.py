"""Canonical article URLs: one spelling per page, whatever scheme, host case, port, index file,
fragment or tracking parameters it was linked with (courlan and w3lib do the hard parts)."""

from __future__ import annotations

from contextlib import suppress
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url
from w3lib.url import canonicalize_url, url_query_cleaner

# Beyond courlan's tracker list: share and app-install parameters of Chinese news sites.
TRACKING_PREFIXES = ("utm_", "spm", "from", "share", "fbclid", "gclid", "yclid", "mc_",
                     "isappinstalled", "wxshare", "scene", "clicktime")


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """http(s)://Host:80/a/index.html?utm_source=x#top → http://host/a/"""
    url = url.strip()
    # courlan drops its known trackers (utm_*, fbclid, ...); a URL it cannot parse is left to
    # w3lib below, which still canonicalises what it can.
    with suppress(ValueError):
        url = normalize_url(url)
    parts = urlsplit(url)
    query_names = [pair.split("=", 1)[0] for pair in parts.query.split("&") if pair]
    drop = [name for name in query_names if _is_tracking(name)]
    if drop:
        url = url_query_cleaner(url, drop, remove=True, keep_fragments=False)
    url = canonicalize_url(url, keep_fragments=False)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    if port and not ((parts.scheme == "http" and port == 80)
                     or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = parts.path or "/"
    for index in ("index.html", "index.htm", "index.shtml", "index.php", "default.aspx"):
        if path.endswith("/" + index):
            path = path[: -len(index)]
    # http and https serve the same story on the sites we crawl: one scheme in the key.
    return urlunsplit(("http", host, path, parts.query, ""))
