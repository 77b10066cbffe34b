"""parkwatch: news-monitoring scraper for industrial parks and development zones."""
