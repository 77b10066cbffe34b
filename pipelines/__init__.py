"""Pipelines: turn a parsed page into stored, tagged, deduplicated facts. Each stage is a plain
function; the Scrapy pipeline classes only adapt them."""
