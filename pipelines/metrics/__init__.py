"""pipelines/metrics."""
