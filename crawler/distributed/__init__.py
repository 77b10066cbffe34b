"""Scale-out crawling: workers share one Redis frontier, duplicate filter and host limits."""
