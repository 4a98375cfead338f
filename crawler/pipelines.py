"""Item pipelines: the relevance filter and the store writer (the only crawler -> store link).

All spiders of one `runri crawl` run share one `StoreSink` per database: one SQLite writer, one
near-duplicate index across outlets (a wire story syndicated by outlet B must point at outlet A's
original even when B's spider finishes first). Items are buffered and written in batches sorted
by publication date, so the earliest copy becomes the original whatever the crawl order.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import asdict, is_dataclass
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.extraction.dedup import DedupIndex
from crawler.extraction.relevance import is_relevant

__all__ = ["RelevancePipeline", "StorePipeline", "StoreSink", "sink_stats"]

log = logging.getLogger(__name__)

# Per-source counters of the current process (read by `runri crawl` after the crawl).
_STATS: dict[str, Counter[str]] = defaultdict(Counter)


def sink_stats() -> dict[str, dict[str, int]]:
    return {source: dict(counts) for source, counts in _STATS.items()}


class RelevancePipeline:
    """Drop documents that match no query-lexicon rule; count them as `irrelevant`.

    Comments are kept (they are context for a relevant post); a spider can opt out with
    `relevance_filter = False` (e.g. a platform search that already filtered by keyword).
    """

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RelevancePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        spider = self.crawler.spider if self.crawler is not None else None
        if spider is not None and getattr(spider, "relevance_filter", True) is False:
            return item
        if adapter.get("kind") == "comment":
            return item
        relevant, terms = is_relevant(f"{adapter.get('title') or ''}\n{adapter.get('body') or ''}")
        if not adapter.get("matched_terms"):
            adapter["matched_terms"] = terms
        if not relevant:
            source = adapter.get("source_id") or (getattr(spider, "source_id", None) if spider else None) or "?"
            _STATS[source]["irrelevant"] += 1
            remember = getattr(spider, "remember_urls", None)
            if remember is not None:  # an incremental crawl need not fetch it again
                remember([(u, "irrelevant", None) for u in {adapter.get("canonical_url"), adapter.get("url")} if u])
            raise DropItem(f"irrelevant: {adapter.get('url')}")
        return item


class StoreSink:
    """One store connection + dedup index shared by every spider of the process."""

    _sinks: dict[str, StoreSink] = {}

    def __init__(self, db_path: str, run_id: int | None, batch: int, refetch: bool) -> None:
        from runri_monitor.store import Store

        self.store = Store.open(db_path)
        self.run_id = run_id
        self.batch = batch
        self.refetch = refetch
        self.buffer: list[dict[str, Any]] = []
        self.users = 0
        self.dedup = DedupIndex()
        self._seed_dedup()

    @classmethod
    def get(cls, db_path: str, run_id: int | None, batch: int, refetch: bool) -> StoreSink:
        sink = cls._sinks.get(db_path)
        if sink is None:
            sink = cls._sinks[db_path] = cls(db_path, run_id, batch, refetch)
        return sink

    def _seed_dedup(self, limit: int = 20000) -> None:
        """Index recent stored originals so that a copy crawled today links to last week's story."""
        sql = ("SELECT canonical_url, body FROM documents WHERE dup_of IS NULL AND kind = 'article' "
               "ORDER BY fetched_at DESC LIMIT ?")
        for url, body in self.store.db.execute(sql, [limit]):
            self.dedup.add(url, body or "")

    def known_urls(self, urls: list[str]) -> set[str]:
        """Stored (or buffered) canonical URLs, plus redirect aliases and irrelevant pages seen before."""
        if self.refetch or not urls:
            return set()
        buffered = {r["canonical_url"] for r in self.buffer}
        return self.store.known_urls(urls) | self.store.seen_urls(urls) | (buffered & set(urls))

    def remember(self, rows: list[tuple[str, str, str | None]]) -> None:
        self.store.mark_seen(rows)

    def add(self, row: dict[str, Any]) -> None:
        self.buffer.append(row)
        if len(self.buffer) >= self.batch * 10:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        rows = sorted(self.buffer, key=lambda r: (r.get("published_at") or "9999", r["canonical_url"]))
        self.buffer = []
        stored = self.store.known_urls(r["canonical_url"] for r in rows)
        by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            if row.get("kind") == "article" and row["canonical_url"] not in stored and not row.get("dup_of"):
                original = self.dedup.check(row.get("body") or "")
                if original and original != row["canonical_url"]:
                    row["dup_of"] = original
                else:
                    self.dedup.add(row["canonical_url"], row.get("body") or "")
            if row.get("dup_of"):
                _STATS[row["source_id"]]["duplicate"] += 1
            by_source[row["source_id"]].append(row)
        for source, source_rows in by_source.items():
            try:
                result = self.store.upsert_documents(source_rows, update=self.refetch,
                                                     batch_size=self.batch)
            except Exception as exc:  # noqa: BLE001 - count and keep the rest of the run
                log.error("store error for %s: %s", source, exc)
                _STATS[source]["errors/store"] += len(source_rows)
                continue
            _STATS[source]["new"] += result.new
            _STATS[source]["updated"] += result.updated
            _STATS[source]["already_stored"] += result.duplicate

    def release(self) -> None:
        self.users -= 1
        if self.users <= 0:
            self.flush()


class StorePipeline:
    """Dataclass item -> dict row -> Store.upsert_documents, batched; no-op without RUNRI_DB."""

    def __init__(self, db_path: str | None, run_id: int | None, batch: int, refetch: bool,
                 crawler: Crawler | None = None) -> None:
        self.db_path, self.run_id, self.batch, self.refetch = db_path, run_id, batch, refetch
        self.crawler = crawler
        self.sink: StoreSink | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        s = crawler.settings
        run_id = s.get("RUNRI_RUN_ID")
        return cls(s.get("RUNRI_DB"), int(run_id) if run_id else None, s.getint("RUNRI_STORE_BATCH", 200),
                   s.getbool("RUNRI_REFETCH"), crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider if self.crawler is not None else None
        if not self.db_path:
            return
        self.sink = StoreSink.get(str(self.db_path), self.run_id, self.batch, self.refetch)
        self.sink.users += 1
        if spider is not None:
            spider.known_urls = self.sink.known_urls  # incremental crawls: the spider asks before fetching
            spider.remember_urls = self.sink.remember

    def close_spider(self) -> None:
        if self.sink is not None:
            self.sink.release()

    def process_item(self, item: Any) -> Any:
        if self.sink is None:
            return item
        row = asdict(item) if is_dataclass(item) else dict(ItemAdapter(item))
        row["crawl_run_id"] = self.run_id
        self.sink.add(row)
        return item
