"""Scrapy settings of parkwatch: polite and safe defaults. Override any of them per crawl with
`parkwatch crawl -s NAME=VALUE` or in the config file's [scrapy] table."""

from crawler.config import USER_AGENT

BOT_NAME = "parkwatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness: robots.txt, an honest User-Agent, AutoThrottle with a modest start delay.
ROBOTSTXT_OBEY = True
USER_AGENT = USER_AGENT
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4

# Safety: bounded downloads, a sane timeout, retries with exponential backoff.
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
PARKWATCH_RETRY_BACKOFF_BASE = 1.0  # seconds before the first retry, doubled each time
PARKWATCH_RETRY_BACKOFF_MAX = 30.0
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.RetryBackoffMiddleware": 540,
}

# No remote code execution and no telnet console inside a crawl (Scrapy 2.19 turns both on).
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

# Proxies: HttpProxyMiddleware stays on, so http_proxy / https_proxy are honoured.
HTTPPROXY_ENABLED = True

ITEM_PIPELINES = {
    "pipelines.stages.EmptyArticleFilter": 50,
    "pipelines.stages.TopicsPipeline": 100,
    "pipelines.dedup_stage.DedupPipeline": 200,
    "pipelines.stages.MetricsPipeline": 300,
    "pipelines.storage.StoragePipeline": 900,
}

# parkwatch's own settings (filled in by crawler.run from the configuration).
PARKWATCH_DATABASE_URL = None  # None: the configured database (PARKWATCH_DATABASE_URL env)
PARKWATCH_SOURCE = ""
PARKWATCH_METRICS_ENABLED = True
PARKWATCH_DEDUP_ENABLED = True  # aliases for exact copies, duplicate_of for near ones

LOG_LEVEL = "INFO"
PARKWATCH_LOG_TRACEBACKS = False  # True: log full tracebacks of failed pages
FEED_EXPORT_ENCODING = "utf-8"

# -- Throughput (the `scale` work): worker processes and batched writes -----------------------
# Parsing, facts and fingerprints of article pages run in PARKWATCH_PARSE_WORKERS processes
# (0 = in the crawl's own process; unset = min(2, CPU count)). A page whose work takes over
# PARKWATCH_PARSE_TIMEOUT seconds is skipped with that reason and its worker replaced; at most
# PARKWATCH_PARSE_IN_FLIGHT pages (0 = 4 per worker) wait for a worker, which holds back
# downloads; a worker is replaced after PARKWATCH_PARSE_MAX_TASKS pages (bounded memory).
PARKWATCH_PARSE_WORKERS = None
PARKWATCH_PARSE_TIMEOUT = 30.0
PARKWATCH_PARSE_IN_FLIGHT = 0
PARKWATCH_PARSE_MAX_TASKS = 500
EXTENSIONS = {"crawler.pool.PagePoolExtension": 0}
# Articles are written in transactions of at most PARKWATCH_WRITE_BATCH articles, flushed at
# least every PARKWATCH_WRITE_INTERVAL seconds and when the crawl closes.
PARKWATCH_WRITE_BATCH = 50
PARKWATCH_WRITE_INTERVAL = 0.25
