"""Synthetic documents with annotations, for tests and benchmarks (not for the demo).

Deterministic for a seed. Texts are built from a small bilingual phrase list, so search and
clustering have something real to match; numbers (dates, sentiment, stance, topics) are random.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from runri_monitor import fulltext
from runri_monitor.store import Store, content_hash, doc_id_for

__all__ = ["synthetic_documents", "fill_store", "bulk_load"]

PHRASES = {
    "ja": ["潤日の中国人富裕層", "経営管理ビザの申請", "豊洲のタワマン購入", "文京区の塾に通う子ども",
           "地下銀行の摘発", "銀座の中国語書店", "参院選と外国人政策", "大阪の民泊", "上海のロックダウン"],
    "zh-Hans": ["润日的中国富人", "经营管理签证申请", "丰洲塔楼公寓购房", "文京区补习班的孩子",
                "地下钱庄被查", "银座的中文书店", "参议院选举与外国人政策", "大阪民宿", "上海封城"],
    "zh-Hant": ["潤日的中國富人", "經營管理簽證申請", "豐洲塔樓公寓購房", "文京區補習班的孩子",
                "地下錢莊被查", "銀座的中文書店", "參議院選舉與外國人政策", "大阪民宿", "上海封城"],
}
SOURCES = {"ja": ["ja_tokyo_keizai", "ja_hatena"], "zh-Hans": ["zh_weibo", "zh_huaren"], "zh-Hant": ["zh_tw_news"]}
TOPICS = ["visa", "real_estate", "education", "finance", "politics", "culture"]
STANCES = ("welcoming", "hostile", "neutral")


def synthetic_documents(
    n: int, seed: int = 0, start: str = "2024-01-01", days: int = 365, dup_rate: float = 0.05
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(document row, annotation row with "topics") pairs; ~dup_rate of documents copy an earlier one."""
    rng = random.Random(seed)
    t0 = datetime.fromisoformat(start).replace(tzinfo=UTC)
    originals: list[int] = []
    for i in range(n):
        lang = rng.choices(["ja", "zh-Hans", "zh-Hant"], weights=[5, 4, 1])[0]
        kind = rng.choices(["article", "post", "comment"], weights=[5, 3, 2])[0]
        platform = "web" if kind == "article" else rng.choice(["weibo", "hatena", "bilibili"])
        # A story index (the same across languages) gives clustering something to find.
        story = rng.randrange(len(PHRASES[lang]))
        other = rng.choice([p for k, p in enumerate(PHRASES[lang]) if k != story])
        phrases = [PHRASES[lang][story], other, PHRASES[lang][story]]
        url = f"http://synthetic.test/{lang}/{i}"
        published = t0 + timedelta(seconds=rng.randrange(days * 86400))
        dup_of = originals[rng.randrange(len(originals))] if originals and rng.random() < dup_rate else None
        doc = {
            "id": doc_id_for(url),
            "url": url,
            "canonical_url": url,
            "source_id": rng.choice(SOURCES[lang]),
            "kind": kind,
            "platform": platform,
            "lang": lang,
            "title": phrases[0],
            "body": "。".join(phrases) + f"。第{i}号",
            "story": story,
            "published_at": published.replace(microsecond=0).isoformat(),
            "fetched_at": published.replace(microsecond=0).isoformat(),
            "dup_of": dup_of,
            "metrics": json.dumps({"likes": rng.randrange(500), "reposts": rng.randrange(100)}),
        }
        if dup_of is None and len(originals) < 10000:
            originals.append(doc["id"])
        score = round(max(-1.0, min(1.0, rng.gauss(0.0, 0.4))), 4)
        ann = {
            "doc_id": doc["id"],
            "nlp_version": "synthetic-1",
            "lang": lang,
            "n_tokens": 20,
            "keywords": json.dumps(phrases[:2], ensure_ascii=False),
            "entities": "[]",
            "sentiment": score,
            "sentiment_label": "positive" if score > 0.2 else "negative" if score < -0.2 else "neutral",
            "stance_label": rng.choices(STANCES, weights=[2, 3, 5])[0],
            "relevance": 1.0,
            "topics": [{"id": t, "score": 0.9} for t in rng.sample(TOPICS, rng.randrange(0, 3))],
        }
        story_id = doc.pop("story")
        ann["story"] = story_id  # ground truth for clustering benchmarks; not a store column
        yield doc, ann


def fill_store(store: Store, n: int, seed: int = 0, **kwargs: Any) -> None:
    """Small synthetic stores for tests, through the public Store API."""
    pairs = list(synthetic_documents(n, seed, **kwargs))
    store.upsert_documents([d for d, _ in pairs])
    store.save_annotations([{k: v for k, v in a.items() if k != "story"} for _, a in pairs])


def bulk_load(store: Store, n: int, seed: int = 0, batch: int = 50_000, **kwargs: Any) -> None:
    """Large synthetic stores for benchmarks: raw executemany in big transactions (no dedup pass)."""
    cols = ["seq", "id", "url", "canonical_url", "source_id", "kind", "platform", "lang", "title", "body",
            "published_at", "fetched_at", "dup_of", "metrics", "content_hash"]
    ann_cols = ["doc_id", "nlp_version", "lang", "n_tokens", "keywords", "entities", "sentiment",
                "sentiment_label", "stance_label", "relevance"]
    doc_sql = f"INSERT INTO documents ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    ann_sql = f"INSERT INTO annotations ({', '.join(ann_cols)}) VALUES ({', '.join('?' * len(ann_cols))})"
    fts_sql = fulltext.INSERT_SQL
    topic_sql = "INSERT INTO doc_topics (doc_id, topic_id, score) VALUES (?, ?, ?)"
    conn = store.db.conn
    docs, anns, fts, topics = [], [], [], []
    seq = store.db.execute("SELECT coalesce(max(seq), 0) FROM documents").fetchone()[0]

    def flush() -> None:
        with conn:
            conn.executemany(doc_sql, docs)
            conn.executemany(ann_sql, anns)
            conn.executemany(fts_sql, fts)
            conn.executemany(topic_sql, topics)
        docs.clear(), anns.clear(), fts.clear(), topics.clear()

    from runri_monitor.trend_docs import drop_trend_docs_triggers, install_trend_docs
    from runri_monitor.trend_summary import drop_triggers, install_summary

    drop_triggers(conn)  # per-row trigger work would double the load time; rebuilt once at the end
    drop_trend_docs_triggers(conn)
    for doc, ann in synthetic_documents(n, seed, **kwargs):
        seq += 1
        doc["seq"] = seq  # the rowid, and the rowid of documents_fts (ascending: fast FTS inserts)
        doc["content_hash"] = content_hash(doc["title"], doc["body"])
        docs.append([doc[c] for c in cols])
        anns.append([ann[c] for c in ann_cols])
        fts.append((seq, *fulltext.tokens_of(doc["title"], doc["body"])))
        topics.extend((doc["id"], t["id"], t["score"]) for t in ann["topics"])
        if len(docs) >= batch:
            flush()
    if docs:
        flush()
    with conn:
        install_summary(conn)
        install_trend_docs(conn)
