"""Scrapy settings for the runri crawler (`scrapy list` / `scrapy crawl news -a source=ID` work too).

Polite by default: robots.txt obeyed, AutoThrottle, per-domain concurrency, retries with backoff,
a descriptive User-Agent. `runri crawl` overrides the store path, run id and offline proxy.
"""

BOT_NAME = "runri"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "runri-monitor/0.1 (+https://github.com/runri-monitor/runri-monitor; research crawler for 潤日 coverage)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
DOWNLOAD_TIMEOUT = 30
# Real article pages are well under 5 MB; a bigger body is a broken or hostile page: drop it.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Exponential backoff between retries (Scrapy's RetryMiddleware re-queues immediately).
RUNRI_RETRY_BACKOFF_BASE = 1.0
RUNRI_RETRY_BACKOFF_MAX = 60.0

REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
HTTPCACHE_ENABLED = False
LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawler.logformatter.QuietDropsLogFormatter"

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.OfflineWebMiddleware": 350,  # before HttpProxyMiddleware (750)
    "crawler.middlewares.BackoffRetryMiddleware": 540,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
}
ITEM_PIPELINES = {
    "crawler.pipelines.RelevancePipeline": 200,
    "crawler.pipelines.StorePipeline": 800,
}

# runri settings (set by `runri crawl`; read in from_crawler, never at import time)
RUNRI_DB = None  # path of the SQLite store; None: items are not stored (scrapy crawl -o works)
RUNRI_RUN_ID = None  # crawl_runs.id the documents belong to
RUNRI_OFFLINE_PROXY = None  # e.g. http://127.0.0.1:8123 : route every request through the offline web
RUNRI_REFETCH = False  # fetch articles already in the store again
RUNRI_STORE_BATCH = 200

FEED_EXPORT_ENCODING = "utf-8"
