"""Server-rendered web pages over the archive (Jinja2; every page reads without JavaScript)."""
