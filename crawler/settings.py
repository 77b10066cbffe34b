"""Scrapy settings of parkwatch: polite and safe defaults. Override any of them per crawl with
`parkwatch crawl -s NAME=VALUE` or in the config file's [scrapy] table."""

from scrapy.settings.default_settings import EXTENSIONS_BASE as _SCRAPY_EXTENSIONS

from foundation.settings import USER_AGENT

BOT_NAME = "parkwatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness: robots.txt, an honest User-Agent, AutoThrottle with a modest start delay.
ROBOTSTXT_OBEY = True  # by RFC 9309: see crawler/middlewares/robots.py
PARKWATCH_ROBOTSTXT_TIMEOUT = 15.0  # seconds for robots.txt; no answer = disallow everything
PARKWATCH_ROBOTSTXT_RETRY_TIMES = 1
PARKWATCH_ROBOTSTXT_RETRY = 300.0  # an unreachable robots.txt is asked again after this
USER_AGENT = USER_AGENT
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Scrapy starts this many tasks for every response's output, however little it yields (one
# article, or a listing's links): 100, its default, cost a third of a backfill's main thread.
CONCURRENT_ITEMS = 4

# Safety: bounded downloads, a sane timeout, retries with exponential backoff.
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
PARKWATCH_HTML_MAXSIZE = 3 * 1024 * 1024  # an HTML page above this is skipped before parsing
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
PARKWATCH_RETRY_BACKOFF_BASE = 1.0  # seconds before the first retry, doubled each time
PARKWATCH_RETRY_BACKOFF_MAX = 30.0
PARKWATCH_RETRY_AFTER_MAX = 120.0  # Retry-After on 503/429 is honoured up to this many seconds
REDIRECT_MAX_TIMES = 5  # RFC 9309 asks for at least five hops; endless loops end there
METAREFRESH_MAXDELAY = 5  # a <meta refresh> slower than this is a page, not a redirect
PARKWATCH_ORIGIN_POLICY = True  # requests and redirects keep the profile's scheme, host, port
PARKWATCH_ALLOW_HTTPS_UPGRADE = True  # except http:// → https:// on the default ports
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.OriginPolicyMiddleware": 40,  # before Scrapy's OffsiteMiddleware (50)
    # Scrapy's RobotsTxtMiddleware allows everything when robots.txt fails: replaced.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RobotsTxtRfcMiddleware": 100,
    "crawler.middlewares.RetryBackoffMiddleware": 540,
    "crawler.middlewares.RetryAfterMiddleware": 560,  # sees 503/429 before RetryMiddleware
    "crawler.middlewares.HtmlSizeMiddleware": 585,  # sees bodies after decompression (590)
    "crawler.middlewares.RedirectLoopMiddleware": 610,  # sees 3xx before RedirectMiddleware
    "crawler.middlewares.FailureReasonMiddleware": 990,  # first to see a failed download
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

# `scrapy crawl news` gets the configured database and records its run (crawler/addons.py).
ADDONS = {"crawler.addons.ParkwatchAddon": 0}
EXTENSIONS = {
    "crawler.extensions.RunRecorderExtension": 500,  # heartbeat; the run of `scrapy crawl`
    "crawler.extensions.StorageGuardExtension": 510,  # the archive fails: the crawl stops
}
# Nor are they loaded: Scrapy imports every component it lists, even one set to None, and the
# remote control's module imports aiohttp (0.2 s of every crawl's start-up).
EXTENSIONS_BASE = {path: order for path, order in _SCRAPY_EXTENSIONS.items()
                   if path.rsplit(".", 1)[1] not in ("RemoteControl", "TelnetConsole")}

# parkwatch's own settings (filled in by crawler.run from the configuration).
PARKWATCH_DATABASE_URL = None  # None: the configured database (config file / environment)
PARKWATCH_RUN_ID = None  # set by crawler.run; unset, RunRecorderExtension records the run
PARKWATCH_LEASE_TTL = 30.0  # a run without a heartbeat for this long is failed
PARKWATCH_RECORD_RUNS = True
PARKWATCH_STOP_ON_STORAGE_ERROR = True
PARKWATCH_SOURCE = ""
PARKWATCH_METRICS_ENABLED = True
PARKWATCH_DEDUP_ENABLED = True  # aliases for exact copies, duplicate_of for near ones

LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawler.logformatter.BriefItemLogFormatter"  # items named, not dumped
PARKWATCH_LOG_TRACEBACKS = False  # True: log full tracebacks of failed pages
FEED_EXPORT_ENCODING = "utf-8"

# --- Raw pages kept as WARC (crawler/middlewares/pages.py, archive/warc.py) ------------------
# Every article page answered 200, with its request and response headers, is appended to its
# source's rotating series of gzip-per-record WARC files under PARKWATCH_PAGES_DIR (unset:
# `pages/` in parkwatch's home), a new file each day and past PARKWATCH_PAGES_MAX_BYTES; each
# stored article names its record. PARKWATCH_KEEP_PAGES: "all", "<N>d" (files older than N
# days are deleted when a crawl of the source starts) or "none" (nothing is kept).
PARKWATCH_KEEP_PAGES = "all"
PARKWATCH_PAGES_DIR = None
PARKWATCH_PAGES_MAX_BYTES = 256 * 1024 * 1024
PARKWATCH_KEEP_LISTINGS = False  # listing pages too
# Next to the downloader: the response as it came (before decompression and redirects).
DOWNLOADER_MIDDLEWARES = {**DOWNLOADER_MIDDLEWARES,
                          "crawler.middlewares.pages.PageKeepingMiddleware": 880}
SPIDER_MIDDLEWARES = {"crawler.middlewares.pages.PageReferenceMiddleware": 950}
# A backfill from a web archive (crawler/history/): the CDX server listing the captures (unset:
# the Wayback Machine's), where captures are replayed (unset: derived from the CDX address),
# and at most this many requests a second to the archive.
PARKWATCH_ARCHIVE_CDX = None
PARKWATCH_ARCHIVE_REPLAY = None
PARKWATCH_ARCHIVE_RATE = 1.0
PARKWATCH_ARCHIVE_PAGE_SIZE = 0  # captures per listing page (0: the server's whole answer)

# --- Distributed crawls (`parkwatch worker`, `crawl --distributed`; crawler/distributed/) ---
# Both components switch themselves off outside a worker's crawl.
EXTENSIONS = {**EXTENSIONS, "crawler.distributed.extension.FrontierExtension": 520}
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
PARKWATCH_WORKER_ID = ""  # set in a worker's crawl only

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
EXTENSIONS = {**EXTENSIONS, "crawler.pool.PagePoolExtension": 0}
# Articles are written in transactions of at most PARKWATCH_WRITE_BATCH articles, flushed at
# least every PARKWATCH_WRITE_INTERVAL seconds and when the crawl closes.
PARKWATCH_WRITE_BATCH = 50
PARKWATCH_WRITE_INTERVAL = 0.25
