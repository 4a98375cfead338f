"""Keywords per document by TF-IDF over the tokens already produced (no second segmentation).

- Chinese: jieba.analyse's own IDF table (the one extract_tags uses), looked up on the folded token,
  so results match jieba.analyse.extract_tags while reusing our tokens and domain words.
- Japanese: compound nouns (consecutive 名詞 tokens joined, as in noun-phrase extraction) scored by
  TF x IDF, with IDF from a document-frequency table shipped in corpus/models/idf_ja.json (built by
  `runri train`) and a high default for unseen words (rare words are the informative ones).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import cache
from itertools import compress
from operator import and_, not_
from pathlib import Path

from spacy.tokens import Doc

from nlp.memo import Memo
from nlp.normalize import fold
from nlp.resources import models_dir
from nlp.tokenize import stop_words

__all__ = ["keywords", "keywords_of", "build_idf_ja", "IDF_JA_FILE"]

IDF_JA_FILE = "idf_ja.json"


@cache
def _jieba_idf() -> tuple[dict[str, float], float]:
    import jieba.analyse

    tfidf = jieba.analyse.default_tfidf
    return tfidf.idf_freq, tfidf.median_idf


@cache
def _ja_idf() -> tuple[dict[str, float], float]:
    path = models_dir() / IDF_JA_FILE
    if not path.exists():
        return {}, 8.0
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["idf"], float(data["default"])


_HAS_WORD_CHAR = re.compile(r"[^\W\d_]")  # a letter or ideograph (not only digits / symbols)


def _good(word: str, stops: frozenset[str]) -> bool:
    return len(word) >= 2 and word not in stops and _HAS_WORD_CHAR.search(word) is not None


Toks = list[tuple[str, str, int, bool]]  # (text, tag, offset, is punct/space): nlp.entities.token_tuples


_NOUN, _SUFFIX = 1, 2


def _ja_tag_class(tag: str) -> int:
    if tag.startswith("名詞") and "数詞" not in tag and "非自立" not in tag:
        return _NOUN
    return _SUFFIX if tag.startswith("接尾辞-名詞") else 0


_JA_TAG = Memo(_ja_tag_class, limit=200_000)


def _ja_weight(word: str) -> float | None:
    """IDF of a Japanese candidate (None: not a keyword: too long, a stop word, no letters)."""
    if len(word) > 20 or not _good(word, stop_words("ja")):
        return None
    idf, default = _ja_idf()
    return idf.get(fold(word), default)


def _zh_weight(word: str) -> float | None:
    stops = stop_words("zh")
    if not _good(word, stops):
        return None
    folded = fold(word)
    if folded in stops:
        return None
    idf, default = _jieba_idf()
    return idf.get(folded, default)


# word -> IDF or None, computed once per word (the same words recur in every document)
_WEIGHT = {"ja": Memo(_ja_weight, limit=200_000), "zh": Memo(_zh_weight, limit=200_000)}


def _ja_runs(toks: Toks) -> list[str]:
    """Noun-phrase runs: consecutive nouns, a noun suffix continuing a run."""
    return _ja_runs_of([t[0] for t in toks], [t[1] for t in toks])


def _ja_runs_of(words: list[str], tags: list[str]) -> list[str]:
    """`_ja_runs` on the token columns (texts, tags).

    Only the tokens of a noun or suffix class are visited (`compress`, C-level): any other token
    ends the run, which shows as a gap in the visited indices."""
    classes = list(map(_JA_TAG.__getitem__, tags))
    out: list[str] = []
    run: list[str] = []
    prev = -2
    for i in compress(range(len(classes)), classes):
        if run and i != prev + 1:
            out.append("".join(run))
            run = []
        if run or classes[i] == _NOUN:
            run.append(words[i])
            prev = i
    if run:
        out.append("".join(run))
    return out


def _ja_candidates(toks: Toks) -> list[str]:
    stops = stop_words("ja")
    return [w for w in _ja_runs(toks) if len(w) <= 20 and _good(w, stops)]


_ZH_SKIP_TAGS = frozenset(("x", "m", "p", "u", "c", "d", "r", "uj", "ul", "f"))
_ZH_TAG_OK = Memo(lambda tag: tag not in _ZH_SKIP_TAGS, limit=200_000)  # tag -> a keyword tag?


def keywords(toks: Toks, lang: str, k: int = 8) -> list[str]:
    if not toks:
        return []
    words, tags, _starts, skips = map(list, zip(*toks, strict=True))
    return keywords_of(words, tags, skips, lang, k)


def keywords_of(words: list[str], tags: list[str], skips: list[bool], lang: str, k: int = 8) -> list[str]:
    """`keywords` on the token columns (texts, tags, is punct/space), as the pipeline holds them."""
    if lang == "ja":
        weight = _WEIGHT["ja"]
        candidates = _ja_runs_of(words, tags)
    else:
        weight = _WEIGHT["zh"]
        candidates = compress(words, map(and_, map(not_, skips), map(_ZH_TAG_OK.__getitem__, tags)))
    counts: dict[str, int] = {}  # (a Counter costs more to create than a document's few candidates)
    for w in candidates:
        counts[w] = counts.get(w, 0) + 1
    scored = {w: c * v for w, c in counts.items() if (v := weight[w]) is not None}
    if len(scored) < 2:
        return list(scored)[:k]
    return [w for w, _ in sorted(scored.items(), key=_by_score_then_word)[:k]]


def _by_score_then_word(item: tuple[str, float]) -> tuple[float, str]:
    return -item[1], item[0]


def build_idf_ja(docs: list[Doc], out: Path) -> None:
    """Document frequencies of Japanese noun phrases over a corpus -> idf table (smoothed)."""
    df: Counter[str] = Counter()
    for doc in docs:
        df.update({fold(w) for w in _ja_candidates([(t.text, t.tag_, t.idx, t.is_punct) for t in doc])})
    n = max(len(docs), 1)
    idf = {w: round(math.log((n + 1) / (c + 1)) + 1.0, 4) for w, c in df.items()}
    default = round(math.log(n + 1) + 1.0, 4)
    out.write_text(json.dumps({"n_docs": n, "default": default, "idf": idf}, ensure_ascii=False, sort_keys=True), encoding="utf-8")
