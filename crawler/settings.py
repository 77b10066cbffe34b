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

# --- Distributed crawls (`parkwatch worker`, `crawl --distributed`; crawler/distributed/) ---
# Both components switch themselves off outside a worker's crawl.
EXTENSIONS = {"crawler.distributed.extension.FrontierExtension": 500}
DOWNLOADER_MIDDLEWARES = {**DOWNLOADER_MIDDLEWARES,
                          "crawler.distributed.politeness.HostLimitMiddleware": 950}
PARKWATCH_REDIS_URL = None  # None: PARKWATCH_REDIS_URL from the environment, else local Redis
PARKWATCH_REDIS_PREFIX = "parkwatch:"  # every Redis key of parkwatch starts with this
PARKWATCH_WORKER_TTL = 10.0  # seconds without a heartbeat before a worker counts as dead
PARKWATCH_FRONTIER_TICK = 0.1  # seconds between a worker's looks at the shared frontier
# One host's limits across all workers (a Redis token bucket and slots); 0 = no limit. The
# rate matches DOWNLOAD_DELAY = 1.0: more workers crawl more sites at once, not one site faster.
PARKWATCH_HOST_RATE = 1.0  # requests per second per host
PARKWATCH_HOST_BURST = 2.0
PARKWATCH_HOST_CONCURRENCY = 4  # requests at once per host
PARKWATCH_RUN_ID = 0
PARKWATCH_WORKER_ID = ""  # set in a worker's crawl only
