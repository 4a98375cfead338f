"""Run the NLP stage over the store, incrementally.

Only documents without an annotation of the current NLP version are read (the store pages through
them by id), annotated in batches through the Analyzer (spaCy nlp.pipe inside; at least
nlp.pipeline.BATCH_SIZE documents per analysis batch) and saved one transaction per `batch_size`
documents: a killed run loses at most one analysis batch and the next run continues where it
stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from nlp.pipeline import BATCH_SIZE, Analyzer, nlp_version, parallel_batch_size
from runri_monitor.store import Store

__all__ = ["ProcessResult", "process_store", "document_text", "annotation_row"]


@dataclass
class ProcessResult:
    nlp_version: str
    annotated: int = 0
    seconds: float = 0.0
    chars: int = 0

    @property
    def docs_per_second(self) -> float:
        return self.annotated / self.seconds if self.seconds else 0.0


def document_text(doc: dict) -> str:
    """Title and body as one text (the title carries much of a headline's topic and tone)."""
    title = (doc.get("title") or "").strip()
    body = (doc.get("body") or "").strip()
    return f"{title}\n{body}" if title and body and not body.startswith(title) else (body or title)


def annotation_row(doc_id: int, version: str, ann: dict) -> dict:
    """An `annotations` row (plus "topics" for doc_topics) from an nlp annotation record."""
    topics = ann.get("topics") or []
    return {
        "doc_id": doc_id,
        "nlp_version": version,
        "lang": ann["lang"],
        "n_tokens": len(ann["tokens"]),
        "tokens": ann["tokens"],
        "keywords": ann["keywords"],
        "entities": ann["entities"],
        "sentiment": ann["sentiment"],
        "sentiment_label": ann["sentiment_label"],
        "stance_label": ann["stance"],
        # relevance to the 潤日 theme: the best topic score (0 when no taxonomy topic applies)
        "relevance": max((t["score"] for t in topics), default=0.0),
        "sentences": ann.get("sentences"),
        "topics": topics,
    }


def process_store(
    store: Store,
    analyzer: Analyzer | None = None,
    *,
    batch_size: int = 256,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int = 1,
    analysis_batch: int | None = None,
    todo: int | None = None,
) -> ProcessResult:
    """Annotate every document lacking an annotation of the current NLP version; commit per batch.

    Documents stream from the store (paged by id) through one Analyzer.pipe (with `workers`
    processes if > 1; batches of `analysis_batch`, by default max(batch_size, BATCH_SIZE), with
    workers smaller for small jobs: `parallel_batch_size`) and are saved every `batch_size` documents.
    `todo`: how many documents there are to annotate, if the caller has counted them already
    (counted here only when sizing batches for workers needs it).
    """
    analyzer = analyzer or Analyzer()
    version = nlp_version()
    result = ProcessResult(version)
    start = time.perf_counter()

    def documents() -> Iterator[dict]:
        n = 0
        for docs in store.documents_without_annotations(version, batch=batch_size):
            for d in docs:
                if limit is not None and n >= limit:
                    return
                n += 1
                yield d

    def records() -> Iterator[dict]:
        for d in documents():
            text = document_text(d)
            result.chars += len(text)
            yield {"id": d["id"], "text": text, "lang": d.get("lang")}

    pending: list[dict] = []
    # Analysis batches of BATCH_SIZE documents (the classifiers' per-batch cost is fixed), saved every
    # `batch_size` documents. With workers, smaller ones when there are few documents, so that
    # every worker gets some.
    if analysis_batch is None:
        analysis_batch = max(batch_size, BATCH_SIZE)
        if workers > 1:
            if todo is None:
                todo = store.count_without_annotations(version)
            todo = min(todo, limit) if limit is not None else todo
            analysis_batch = max(batch_size, parallel_batch_size(todo, workers, analysis_batch))
    for ann in analyzer.pipe(records(), batch_size=analysis_batch, n_process=workers):  # order is kept
        pending.append(annotation_row(ann["id"], version, ann))
        if len(pending) >= batch_size:
            _save(store, pending, result, progress)
            pending = []
    if pending:
        _save(store, pending, result, progress)
    result.seconds = time.perf_counter() - start
    return result


def _save(store: Store, rows: list[dict], result: ProcessResult, progress) -> None:
    store.save_annotations(rows)
    result.annotated += len(rows)
    if progress:
        progress(len(rows))
