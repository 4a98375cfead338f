"""Story clusters across Japanese and Chinese.

Representation (one shared space for both languages):
- Han-character 2-3-gram TF-IDF of the *folded* text (traditional / shinjitai -> simplified), with
  kana and punctuation removed first: 地下銀行 and 地下钱庄 share 地下, 経営管理 and 经营管理 are equal,
  while Japanese particles (の, が) never make two Japanese articles look alike.
- Concept features: a bilingual lexicon (corpus/lexicons/concepts.toml) maps タワマン and 塔楼公寓
  to one concept id, covering words written in kana or with different Han words per language.
- Keywords and entities from the NLP annotations (folded), plus Latin words (SAPIX, 3S1K).
Blocks are weighted, stacked and L2-normalised; cosine is the similarity.

Clustering chooses the number of clusters itself: average-linkage agglomerative clustering cut at a
cosine-distance threshold. Up to `exact_max` documents it runs on the exact distance matrix; above
that (the 100,000-document case) it reduces with TruncatedSVD, over-segments with MiniBatchKMeans
into micro-clusters and runs the same agglomerative step on their centroids: O(n·k) instead of O(n²).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from nlp.normalize import fold
from runri_monitor.errors import InputError
from runri_monitor.paths import LEXICONS_DIR
from runri_monitor.store import Store, utc_now
from runri_monitor.trends import Filters, where_clause

__all__ = [
    "ClusterParams",
    "Concept",
    "concepts",
    "load_documents",
    "featurize",
    "cluster_matrix",
    "cluster_documents",
    "build_and_store",
    "export_clusters",
]

_NON_HAN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[0-9]*[a-z][a-z0-9]{1,}")
METHOD = "han-ngram+concepts tfidf, average-linkage agglomerative (cosine), svd+minibatch-kmeans above exact_max"


@dataclass
class ClusterParams:
    threshold: float = 0.85  # cosine distance at which merging stops (average linkage)
    ngram_min: int = 2
    ngram_max: int = 3
    char_weight: float = 1.0
    concept_weight: float = 0.8
    term_weight: float = 0.5
    body_chars: int = 1500  # enough text to identify a story, bounded cost per document
    exact_max: int = 3000
    svd_dims: int = 128
    micro_per_doc: float = 0.02  # micro-clusters = n * this (>= 200, <= 3000) above exact_max
    min_size: int = 2
    representatives: int = 3
    seed: int = 0


@dataclass(frozen=True)
class Concept:
    id: str
    ja: tuple[str, ...]
    zh: tuple[str, ...]


def _key(term: str) -> str:
    return fold(term).replace("・", "").replace(" ", "")


@cache
def concepts(path: str | None = None) -> tuple[Concept, ...]:
    p = Path(path) if path else LEXICONS_DIR / "concepts.toml"
    if not p.exists():
        return ()
    data = tomllib.loads(p.read_text(encoding="utf-8"))
    return tuple(Concept(c["id"], tuple(c.get("ja", [])), tuple(c.get("zh", []))) for c in data.get("concept", []))


@cache
def _concept_pattern(path: str | None = None) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One alternation regex over every folded term (longest first) -> concept id."""
    term_to_id: dict[str, str] = {}
    for c in concepts(path):
        for t in (*c.ja, *c.zh):
            if _key(t):
                term_to_id.setdefault(_key(t), c.id)
    if not term_to_id:
        return None, {}
    alts = sorted(term_to_id, key=len, reverse=True)
    return re.compile("|".join(re.escape(a) for a in alts)), term_to_id


def concept_ids(folded: str) -> list[str]:
    pattern, term_to_id = _concept_pattern()
    if pattern is None:
        return []
    return [term_to_id[m.group()] for m in pattern.finditer(folded.replace("・", "").replace(" ", ""))]


def _terms(value: str | None) -> list[str]:
    """Keywords / entities JSON (strings or {"text": ...} dicts) -> folded terms."""
    if not value:
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return []
    out = []
    for it in items if isinstance(items, list) else []:
        text = it if isinstance(it, str) else (it.get("text") or it.get("name") or "") if isinstance(it, dict) else ""
        if text:
            out.append(_key(text))
    return out


def load_documents(store: Store, f: Filters, body_chars: int = 1500) -> list[dict[str, Any]]:
    """Documents to cluster, with their annotation keywords/entities when present."""
    where, params = where_clause(f)
    sql = (
        f"SELECT d.id, d.lang, d.title, substr(d.body, 1, {int(body_chars)}) AS body, d.published_at, d.url, "
        "a.keywords, a.entities FROM documents d LEFT JOIN annotations a ON a.doc_id = d.id "
        f"WHERE {where} ORDER BY d.id"
    )
    return list(store.db.query(sql, params))


def featurize(docs: list[dict[str, Any]], params: ClusterParams):
    """Sparse, L2-normalised document vectors in the shared space, plus the pieces for labelling."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    folded = [fold(f"{d.get('title') or ''}\n{d.get('title') or ''}\n{(d.get('body') or '')[: params.body_chars]}")
              for d in docs]
    han = [_NON_HAN.sub(" ", t) for t in folded]
    n = len(docs)
    char_vec = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(params.ngram_min, params.ngram_max), sublinear_tf=True,
        min_df=2 if n >= 50 else 1, max_df=0.5 if n >= 20 else 1.0, dtype=np.float32,
    )
    blocks, names = [], {}
    try:
        x_char = char_vec.fit_transform(han)
        blocks.append(normalize(x_char) * params.char_weight)
        names["char"] = char_vec.get_feature_names_out()
    except ValueError:  # no Han text at all
        x_char = None
    concept_docs = [concept_ids(t) for t in folded]
    term_docs = [_terms(d.get("keywords")) + _terms(d.get("entities")) + _LATIN.findall(t)
                 for d, t in zip(docs, folded, strict=True)]
    for key, lists, weight in (("concept", concept_docs, params.concept_weight), ("term", term_docs, params.term_weight)):
        vec = TfidfVectorizer(analyzer=lambda x: x, sublinear_tf=True, dtype=np.float32,
                              max_df=0.5 if n >= 20 else 1.0)
        try:
            m = vec.fit_transform(lists)
        except ValueError:  # empty vocabulary
            continue
        blocks.append(normalize(m) * weight)
        names[key] = vec.get_feature_names_out()
    if not blocks:
        raise InputError("nothing to cluster: the documents have no usable text")
    x = normalize(hstack(blocks).tocsr())
    return x, {"concepts": concept_docs, "terms": term_docs, "char": x_char, "char_names": names.get("char")}


def _agglomerate(x, threshold: float, weights: np.ndarray | None = None) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    n = x.shape[0]
    if n == 1:
        return np.zeros(1, dtype=int)
    sim = x @ x.T
    sim = sim.toarray() if hasattr(sim, "toarray") else np.asarray(sim)
    dist = np.clip(1.0 - sim, 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                    distance_threshold=threshold)
    return model.fit_predict(dist)


def cluster_matrix(x, params: ClusterParams) -> np.ndarray:
    """Cluster labels (0..k-1) for the rows of x; the number of clusters comes from the threshold."""
    n = x.shape[0]
    if n <= params.exact_max:
        return _agglomerate(x, params.threshold)
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    dims = min(params.svd_dims, x.shape[1] - 1)
    z = normalize(TruncatedSVD(dims, random_state=params.seed, algorithm="randomized", n_iter=3).fit_transform(x))
    k = min(n, int(min(3000, max(200, n * params.micro_per_doc))))
    km = MiniBatchKMeans(k, random_state=params.seed, batch_size=4096, n_init=1, max_iter=50,
                         reassignment_ratio=0.001)
    micro = km.fit_predict(z)
    centroids = normalize(km.cluster_centers_)
    # SVD compresses distances; the same threshold on centroids is a fair first approximation.
    merged = _agglomerate(centroids, params.threshold)
    return merged[micro]


def cluster_documents(docs: list[dict[str, Any]], params: ClusterParams | None = None) -> dict[str, Any]:
    """Cluster documents and describe every cluster (labels, terms, timeline, representatives)."""
    params = params or ClusterParams()
    if not docs:
        return {"labels": [], "clusters": [], "scores": []}
    x, parts = featurize(docs, params)
    raw = cluster_matrix(x, params)
    groups: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(raw):
        groups[int(c)].append(i)
    ordered = sorted(groups.values(), key=lambda idx: (-len(idx), min(idx)))
    labels = np.full(len(docs), -1, dtype=int)
    scores = np.zeros(len(docs), dtype=float)
    clusters = []
    for idx in ordered:
        centroid = np.asarray(x[idx].mean(axis=0)).ravel()
        norm = np.linalg.norm(centroid) or 1.0
        sims = np.asarray(x[idx] @ (centroid / norm)).ravel()
        scores[idx] = sims
        if len(idx) < params.min_size:
            continue  # noise: members keep cluster_id -1
        cid = len(clusters) + 1
        labels[idx] = cid
        clusters.append(_describe(cid, idx, sims, docs, parts, params))
    return {"labels": labels.tolist(), "scores": scores.round(4).tolist(), "clusters": clusters}


def _describe(cid: int, idx: list[int], sims: np.ndarray, docs, parts, params: ClusterParams) -> dict[str, Any]:
    members = [docs[i] for i in idx]
    order = [idx[j] for j in np.argsort(-sims)]
    reps = order[: params.representatives]
    concept_count = Counter(c for i in idx for c in set(parts["concepts"][i]))
    term_count = Counter(t for i in idx for t in set(parts["terms"][i]))
    by_id = {c.id: c for c in concepts()}
    # Concepts shared by at least a third of the members make the bilingual label.
    top_concepts = [c for c, k in concept_count.most_common(4) if k >= max(1, len(idx) / 3)][:3]
    label_ja = "・".join(by_id[c].ja[0] for c in top_concepts if by_id[c].ja)
    label_zh = "、".join(by_id[c].zh[0] for c in top_concepts if by_id[c].zh)
    langs = Counter(m.get("lang") or "other" for m in members)
    if not label_ja:
        label_ja = _title_for(members, order, docs, ("ja",))
    if not label_zh:
        label_zh = _title_for(members, order, docs, ("zh-Hans", "zh-Hant"))
    top_terms = [t for t, _ in term_count.most_common(5)]
    if parts["char"] is not None and parts["char_names"] is not None:
        weights = np.asarray(parts["char"][idx].sum(axis=0)).ravel()
        names = parts["char_names"]
        for j in np.argsort(-weights)[:20]:
            term = names[j].strip()
            if len(term) >= 2 and not any(term in t for t in top_terms) and weights[j] > 0:
                top_terms.append(term)
            if len(top_terms) >= 12:
                break
    concepts_out = [f"{by_id[c].ja[0]}={by_id[c].zh[0]}" for c, _ in concept_count.most_common(5) if c in by_id]
    dates = sorted(m["published_at"] for m in members if m.get("published_at"))
    timeline = Counter(d[:7] for d in dates)
    return {
        "cluster_id": cid,
        "size": len(idx),
        "label_ja": label_ja,
        "label_zh": label_zh,
        "top_terms": concepts_out + top_terms,
        "languages": dict(langs.most_common()),
        "first_seen": dates[0] if dates else None,
        "last_seen": dates[-1] if dates else None,
        "timeline": dict(sorted(timeline.items())),
        "representatives": [docs[i]["id"] for i in reps],
        "member_index": idx,
    }


def _headline(doc: dict[str, Any]) -> str:
    """Title, or for untitled posts the start of the body's first line."""
    text = (doc.get("title") or "").strip() or (doc.get("body") or "").strip().split("\n")[0]
    return text[:40]


def _title_for(members, order, docs, langs: tuple[str, ...]) -> str:
    for i in order:
        if docs[i].get("lang") in langs and _headline(docs[i]):
            return _headline(docs[i])
    for i in order:  # no document in that language: the most central headline in any language
        if _headline(docs[i]):
            return _headline(docs[i])
    return ""


def build_and_store(store: Store, f: Filters | None = None, params: ClusterParams | None = None) -> dict[str, Any]:
    """Cluster the selected documents and store the run; returns the run id and cluster summaries."""
    f = f or Filters(kind=["article", "post"])
    params = params or ClusterParams()
    docs = load_documents(store, f, params.body_chars)
    # An empty selection is recorded as an empty run (not an error): the daily job goes on and the
    # export says "0 documents" instead of failing.
    result = cluster_documents(docs, params)
    created = utc_now()
    with store.db.conn:
        run = store.db["cluster_runs"]
        run.insert({
            "created_at": created, "method": METHOD,
            "params": json.dumps({**asdict(params), "filters": f.__dict__}, ensure_ascii=False),
            "n_docs": len(docs), "n_clusters": len(result["clusters"]),
        })
        run_id = int(run.last_pk)
        reps = {d for c in result["clusters"] for d in c["representatives"]}
        store.db["clusters"].insert_all(
            ({"run_id": run_id, "cluster_id": c["cluster_id"], "size": c["size"], "label_ja": c["label_ja"],
              "label_zh": c["label_zh"], "top_terms": json.dumps(c["top_terms"], ensure_ascii=False),
              "languages": json.dumps(c["languages"]), "first_seen": c["first_seen"], "last_seen": c["last_seen"]}
             for c in result["clusters"]),
            batch_size=1000,
        )
        store.db.conn.executemany(
            "INSERT INTO cluster_members (run_id, cluster_id, doc_id, score, representative) VALUES (?, ?, ?, ?, ?)",
            [(run_id, lab, d["id"], s, int(d["id"] in reps))
             for d, lab, s in zip(docs, result["labels"], result["scores"], strict=True)],
        )
    return {"run_id": run_id, "n_docs": len(docs), "n_clusters": len(result["clusters"]), **result}


def latest_run(store: Store) -> int | None:
    row = store.db.execute("SELECT max(id) FROM cluster_runs").fetchone()
    return row[0] if row and row[0] is not None else None


CLUSTER_FIELDS: dict[str, tuple[str, str]] = {
    "run_id": ("int", "cluster run id"),
    "cluster_id": ("int", "cluster id within the run (1 = largest)"),
    "size": ("int", "number of member documents"),
    "label_ja": ("str", "label in Japanese (shared concepts, else the most central Japanese title)"),
    "label_zh": ("str", "label in Chinese (shared concepts, else the most central Chinese title)"),
    "top_terms": ("json", "concepts (ja=zh) and most weighted terms / character n-grams (folded)"),
    "languages": ("json", "member count per language"),
    "first_seen": ("str", "earliest publication time of a member (UTC)"),
    "last_seen": ("str", "latest publication time of a member (UTC)"),
    "timeline": ("json", "members per month {YYYY-MM: n}: size over time"),
    "representatives": ("json", "ids of the most central member documents"),
}
MEMBER_FIELDS: dict[str, tuple[str, str]] = {
    "run_id": ("int", "cluster run id"),
    "cluster_id": ("int", "cluster id; -1 = in no cluster of at least min_size documents"),
    "doc_id": ("int", "document id (as in the document export)"),
    "score": ("float", "cosine similarity to the cluster centroid"),
    "representative": ("int", "1 if among the most central documents"),
    "lang": ("str", "document language"),
    "published_at": ("str", "publication time (UTC)"),
    "url": ("str", "document URL"),
    "title": ("str", "document title"),
}


def cluster_rows(store: Store, run_id: int) -> list[dict[str, Any]]:
    """Stored clusters of a run with timeline and representatives, largest first."""
    rows = list(store.db.query("SELECT * FROM clusters WHERE run_id = ? ORDER BY cluster_id", [run_id]))
    timeline: dict[int, Counter] = defaultdict(Counter)
    reps: dict[int, list[int]] = defaultdict(list)
    sql = (
        "SELECT m.cluster_id, m.doc_id, m.representative, substr(d.published_at, 1, 7) FROM cluster_members m "
        "JOIN documents d ON d.id = m.doc_id WHERE m.run_id = ? AND m.cluster_id >= 0 ORDER BY m.score DESC"
    )
    for cid, doc_id, rep, month in store.db.execute(sql, [run_id]):
        if month:
            timeline[cid][month] += 1
        if rep:
            reps[cid].append(doc_id)
    for r in rows:
        r["top_terms"] = json.loads(r["top_terms"] or "[]")
        r["languages"] = json.loads(r["languages"] or "{}")
        r["timeline"] = dict(sorted(timeline[r["cluster_id"]].items()))
        r["representatives"] = reps[r["cluster_id"]]
    return rows


def export_clusters(store: Store, out_dir: str | Path, formats: list[str], run_id: int | None = None) -> dict[str, Any]:
    """clusters.<fmt> + cluster_members.<fmt> + a datasheet README.md for one run (default: latest)."""
    from runri_monitor.exports import fields_table, provenance, write_table

    run_id = run_id or latest_run(store)
    if run_id is None:
        raise InputError("no cluster run yet: run `runri clusters build` first")
    run = store.db.execute("SELECT created_at, method, params, n_docs, n_clusters FROM cluster_runs WHERE id = ?",
                           [run_id]).fetchone()
    if run is None:
        raise InputError(f"no cluster run {run_id}")
    out = Path(out_dir)
    clusters = cluster_rows(store, run_id)
    n_clusters = write_table(clusters, CLUSTER_FIELDS, out / "clusters", formats)
    members_sql = (
        "SELECT m.run_id, m.cluster_id, m.doc_id, m.score, m.representative, d.lang, d.published_at, d.url, d.title "
        "FROM cluster_members m JOIN documents d ON d.id = m.doc_id WHERE m.run_id = ? "
        "ORDER BY m.cluster_id < 0, m.cluster_id, m.score DESC"
    )
    n_members = write_table(store.db.query(members_sql, [run_id]), MEMBER_FIELDS, out / "cluster_members", formats)
    params = json.loads(run[2] or "{}")
    filters = params.pop("filters", {})
    prov = provenance(store, Filters(**filters) if filters else Filters(kind=["article"]))
    clustered = sum(c["size"] for c in clusters)
    bilingual = sum(1 for c in clusters if any(k == "ja" for k in c["languages"]) and any(k.startswith("zh") for k in c["languages"]))
    readme = f"""# runri-monitor story clusters (run {run_id})

Documents about 潤日 / 润日 grouped into stories across Japanese and Chinese. Made {run[0]} by
runri-monitor from `{store.path}`.

## Counts
- documents clustered: {run[3]}; clusters (>= {params.get("min_size", 2)} documents): {run[4]}
- documents in a cluster: {clustered}; in no cluster (cluster_id -1): {run[3] - clustered}
- clusters with both Japanese and Chinese members: {bilingual}
- publication dates: {prov["published_from"]} .. {prov["published_to"]} (UTC)
- crawl runs: {prov["crawl_runs"]} ({prov["crawl_first"]} .. {prov["crawl_last"]})
- NLP versions: {", ".join(prov["nlp_versions"]) or "none"}
- document filters: {json.dumps(filters, ensure_ascii=False)}

## Method
{METHOD}.

Each document is the folded text of its title (twice) and the first {params.get("body_chars", 1500)} characters of
its body: traditional Chinese and Japanese shinjitai mapped to simplified so shared Han characters
match across languages. Features: TF-IDF of Han character {params.get("ngram_min", 2)}-{params.get("ngram_max", 3)}-grams
(kana removed), bilingual concepts from corpus/lexicons/concepts.toml (e.g. タワマン = 塔楼公寓), and
annotation keywords/entities; blocks weighted and L2-normalised. Average-linkage agglomerative
clustering on cosine distance, cut at the threshold below, so the number of clusters is not fixed
in advance. Labels: concepts shared by a third of the members, else the most central title per language.

## Parameters
```json
{json.dumps(params, ensure_ascii=False, indent=2)}
```

## Files
- clusters.{{{",".join(formats)}}}: one row per cluster
- cluster_members.{{{",".join(formats)}}}: one row per clustered document

### clusters
{fields_table(CLUSTER_FIELDS)}

### cluster_members
{fields_table(MEMBER_FIELDS)}

Document texts and annotations: `runri export` (same document ids).
"""
    out.mkdir(parents=True, exist_ok=True)
    (out / "README.md").write_text(readme, encoding="utf-8")
    return {"run_id": run_id, "clusters": n_clusters, "members": n_members, "out": str(out)}


# -- evaluation against gold story labels ------------------------------------------------------
def load_gold(gold_dir: str | Path) -> dict[str, dict[str, Any]]:
    """url -> gold record, relevant articles only (story != "none")."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(gold_dir).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec.get("relevant", True) and rec.get("story") not in (None, "", "none"):
                out[rec["url"]] = rec
    return out


def _is_zh(lang: str | None) -> bool:
    return bool(lang) and str(lang).startswith("zh")


def score_clustering(gold: list[str], pred: list[int], langs: list[str | None]) -> dict[str, Any]:
    """NMI / ARI of predicted clusters against gold stories, and cross-language story cohesion.

    A predicted -1 (no cluster) counts as its own singleton. A story with Japanese and Chinese
    documents is "joined" when its largest cluster holds documents of both languages, and
    "whole" when all its documents are in that one cluster.
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    labels = [p if p >= 0 else -(i + 2) for i, p in enumerate(pred)]
    result: dict[str, Any] = {"documents": len(gold), "stories": len(set(gold)),
                              "clusters": len(set(labels))}
    if not gold:
        return {**result, "nmi": None, "ari": None, "cross_language_stories": 0,
                "cross_language_joined": None, "cross_language_whole": None}
    result["nmi"] = round(float(normalized_mutual_info_score(gold, labels)), 4)
    result["ari"] = round(float(adjusted_rand_score(gold, labels)), 4)
    by_story: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(gold):
        by_story[g].append(i)
    cross = joined = whole = 0
    for idx in by_story.values():
        if not (any(langs[i] == "ja" for i in idx) and any(_is_zh(langs[i]) for i in idx)):
            continue
        cross += 1
        top, _ = Counter(labels[i] for i in idx).most_common(1)[0]
        inside = [i for i in idx if labels[i] == top]
        joined += any(langs[i] == "ja" for i in inside) and any(_is_zh(langs[i]) for i in inside)
        whole += len(inside) == len(idx)
    result["cross_language_stories"] = cross
    result["cross_language_joined"] = round(joined / cross, 4) if cross else None
    result["cross_language_whole"] = round(whole / cross, 4) if cross else None
    return result


def evaluate(
    store: Store, gold_dir: str | Path, params: ClusterParams | None = None, run_id: int | None = None,
    f: Filters | None = None,
) -> dict[str, Any]:
    """Score a stored run (run_id) or a fresh in-memory clustering of the articles against gold stories.

    Gold URLs are joined on documents.canonical_url or url. Copies (dup_of) are not clustered; they
    take the cluster of their original.
    """
    gold = load_gold(gold_dir)
    if not gold:
        raise InputError(f"no gold story labels in {gold_dir}")
    urls = list(gold)
    found: dict[int, tuple[str, str | None, int | None]] = {}
    for i in range(0, len(urls), 400):
        chunk = urls[i : i + 400]
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT id, url, canonical_url, lang, dup_of FROM documents WHERE canonical_url IN ({marks}) OR url IN ({marks})"
        for doc_id, url, canonical, lang, dup in store.db.execute(sql, chunk + chunk):
            rec = gold.get(canonical) or gold.get(url)
            found[doc_id] = (rec["story"], lang or rec.get("lang"), dup)
    if not found:
        raise InputError("none of the gold articles is in the database (run the demo crawl first)")
    if run_id is not None:
        assign = {d: c for d, c in store.db.execute("SELECT doc_id, cluster_id FROM cluster_members WHERE run_id = ?", [run_id])}
        mode = f"run {run_id}"
    else:
        params = params or ClusterParams()
        docs = load_documents(store, f or Filters(kind=["article"]), params.body_chars)
        result = cluster_documents(docs, params)
        assign = {d["id"]: c for d, c in zip(docs, result["labels"], strict=True)}
        mode = f"fresh clustering of {len(docs)} articles (threshold {params.threshold})"
    gold_labels, pred, langs = [], [], []
    for doc_id, (story, lang, dup) in sorted(found.items()):
        cid = assign.get(doc_id)
        if cid is None and dup is not None:
            cid = assign.get(dup)
        gold_labels.append(story)
        pred.append(cid if cid is not None else -1)
        langs.append(lang)
    return {"mode": mode, "gold_urls": len(gold), "matched": len(found),
            **score_clustering(gold_labels, pred, langs)}


def evaluate_gold_texts(gold_dir: str | Path, params: ClusterParams | None = None) -> dict[str, Any]:
    """Cluster the gold pages' own texts (no crawl needed): every non-copy page, relevant or not,
    is clustered; relevant ones are scored. Separates clustering quality from extraction quality."""
    recs = [json.loads(line) for p in sorted(Path(gold_dir).glob("*.jsonl"))
            for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = [{"id": i, "lang": r.get("lang"), "title": r.get("title"), "body": r.get("body"),
             "published_at": r.get("published_at"), "url": r["url"]} for i, r in enumerate(recs) if not r.get("dup_of")]
    if not docs:
        raise InputError(f"no gold pages in {gold_dir}")
    params = params or ClusterParams()
    result = cluster_documents(docs, params)
    by_url = {d["url"]: lab for d, lab in zip(docs, result["labels"], strict=True)}
    scored = [r for r in recs if not r.get("dup_of") and r.get("relevant", True) and r.get("story") not in (None, "", "none")]
    return {"mode": f"gold texts: {len(docs)} pages clustered (threshold {params.threshold})", "gold_urls": len(scored),
            "matched": len(scored),
            **score_clustering([r["story"] for r in scored], [by_url[r["url"]] for r in scored],
                               [r.get("lang") for r in scored])}
