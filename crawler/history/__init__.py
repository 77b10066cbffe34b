"""History: pages read again from WARC files — the archive's own (reread), other tools' (import)
and web archives' captures (backfill) — through the same reading and storing path as a crawl."""
