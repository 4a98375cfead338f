"""Lexicon sentiment: a score in [-1, 1] and a label, per sentence and per document.

Rules (data in corpus/lexicons/sentiment_{ja,zh}.tsv and sentiment_rules.toml):
- a lexicon word adds its weight; an intensifier just before it scales it (非常に, 很, 太 ...);
- a negator flips and damps it (zh: 不/没有 shortly before; ja: ない/ません shortly after the stem,
  so 良くない and 問題ではない both flip);
- a sarcasm marker ((笑), 呵呵, [doge]) turns a positive sentence negative;
- emoji count +-0.5 each; after a contrast word (しかし, 但是) the clause weighs double.
Chinese is matched on the folded text (traditional == simplified); Japanese on NFKC text with
adjective stems (嬉しい -> 嬉し) so conjugated forms match.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from functools import cache

from nlp.normalize import fold, normalize
from nlp.resources import lexicon_path, read_weighted_list
from nlp.textmatch import literal_pattern

__all__ = ["LexiconSentiment", "LexDoc", "lex_doc", "split_sentences", "label_of", "THRESHOLD"]

THRESHOLD = 0.2  # |score| below this is neutral
_SENT_END = re.compile(r"(?<=[。！？!?\n])|(?<=[.][\s])")
_SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+|\n|$)")
_SENTENCE_ENDS = frozenset("。！？!?\n")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT_END.split(text) if s and s.strip()]


def label_of(score: float, threshold: float = THRESHOLD) -> str:
    if score >= threshold:
        return "positive"
    if score <= -threshold:
        return "negative"
    return "neutral"


@dataclass
class _Lang:
    words: dict[str, float]
    pattern: re.Pattern
    neg_before: tuple[str, ...]
    neg_after: tuple[str, ...]
    intens: dict[str, float]
    sarcasm: re.Pattern
    contrast: re.Pattern | None
    within_sentences: bool = False  # no word holds whitespace or a sentence end: matches stay in a sentence


@cache
def _rules() -> dict:
    path = lexicon_path("sentiment_rules.toml")
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _ja_forms(word: str, weight: float) -> dict[str, float]:
    forms = {word: weight}
    if word.endswith("い") and len(word) >= 2 and word != "いい":
        stem = word[:-1]
        if len(stem) >= 2:
            forms[stem] = weight  # 嬉しい -> 嬉し(く/かった)
        else:  # 悪い -> 悪く(ない) / 悪かっ(た); a bare one-character stem would over-match
            forms.update({stem + "く": weight, stem + "かっ": weight, stem + "さ": weight})
    if word in ("良い", "よい", "いい"):
        forms.update({"良く": weight, "良かっ": weight, "よかっ": weight})
    return forms


@cache
def _lang(key: str) -> _Lang:
    rules = _rules().get(key, {})
    raw = read_weighted_list(f"sentiment_{key}.tsv")
    words: dict[str, float] = {}
    for w, s in raw.items():
        if key == "ja":
            words.update({fold(f): v for f, v in _ja_forms(w, s).items()})
        else:
            words[fold(w)] = s
    ordered = sorted(words, key=len, reverse=True)
    contrast = rules.get("contrast", [])
    within = not any(ch.isspace() or ch in _SENTENCE_ENDS for w in words for ch in w)
    return _Lang(
        words=words,
        pattern=literal_pattern(ordered),
        neg_before=tuple(fold(x) for x in rules.get("negators_before", [])),
        neg_after=tuple(fold(x) for x in rules.get("negators_after", [])),
        intens={fold(k): float(v) for k, v in rules.get("intensifiers", {}).items()},
        sarcasm=literal_pattern(fold(x) for x in rules.get("sarcasm", [])),
        contrast=literal_pattern(fold(c) for c in contrast) if contrast else None,
        within_sentences=within,
    )


@cache
def _emoji() -> tuple[re.Pattern, re.Pattern]:
    e = _rules().get("emoji", {})

    def compile_(items: list[str]) -> re.Pattern:
        return literal_pattern(items)

    return compile_(e.get("positive", [])), compile_(e.get("negative", []))


@cache
def _emoji_hint() -> re.Pattern:
    """Matches where an emoji (or [赞]-style) marker could start: its first characters in the BMP
    plus every character beyond it. One such scan per text (few have any) replaces the two marker
    searches: ~5x cheaper, and no marker can occur where it finds nothing."""
    e = _rules().get("emoji", {})
    first = {w[0] for w in e.get("positive", []) + e.get("negative", []) if w}
    bmp = "".join(re.escape(c) for c in sorted(c for c in first if ord(c) < 0x10000))
    return re.compile(f"[{bmp}\U00010000-\U0010ffff]")


@dataclass
class LexDoc:
    """Lexicon analysis of one document: per-sentence scores, document score, model features."""

    sentences: list[tuple[str, float]]
    score: float
    features: list[float]


_ZERO = {"total": 0.0, "pos": 0.0, "neg": 0.0, "negated": 0.0, "sarcasm": 0.0, "emoji_pos": 0.0, "emoji_neg": 0.0}


@dataclass
class _Present:
    """Which patterns occur anywhere in the document: a sentence can only match what the whole
    document matches, so most sentences skip most regex passes (same scores, a third of the time)."""

    words: bool
    contrast: bool
    emoji_pos: bool
    emoji_neg: bool
    sarcasm: bool


def _present(folded: str, text: str, key: str) -> _Present:
    lx = _lang(key)
    epos, eneg = _emoji()
    return _Present(
        words=lx.pattern.search(folded) is not None,
        contrast=lx.contrast is not None and lx.contrast.search(folded) is not None,
        emoji_pos=epos.search(text) is not None,
        emoji_neg=eneg.search(text) is not None,
        sarcasm=lx.sarcasm.search(folded) is not None,
    )


_CONTEXT_LIMIT = 200_000


def _weigh(lx: _Lang, contexts: dict, w: float, before: str, after: str, late: bool | None) -> tuple[float, bool]:
    """A lexicon word's weight in its context: intensified, flipped by a negator (x -0.7), and after
    a contrast (但是, しかし) x2 or before it x0.6 (late None: no contrast in the sentence)."""
    factor, flipped = _context(lx, contexts, before, after)
    if factor is not None:
        w *= factor
    if flipped:
        w = -0.7 * w
    if late is not None:
        w *= 2.0 if late else 0.6
    return w, flipped


def _context(lx: _Lang, cache: dict, before: str, after: str) -> tuple[float | None, bool]:
    """(intensifier factor or None, negated) of a lexicon word from the up to 4 characters before
    it and 4 after it; memoised per distinct context (the same few recur throughout a corpus)."""
    key = (before, after)
    hit = cache.get(key)
    if hit is not None:
        return hit
    factor = None
    for word, f in lx.intens.items():
        if before.endswith(word) or (len(word) > 1 and word in before):
            factor = f
            break
    flipped = any(before.endswith(n) or (len(n) > 1 and n in before[-3:]) for n in lx.neg_before)
    if not flipped and lx.neg_after:
        flipped = any(after[:4].find(n) >= 0 for n in lx.neg_after if len(n) > 1) or any(
            after[:2].startswith(n) for n in lx.neg_after if len(n) == 1
        )
    if len(cache) >= _CONTEXT_LIMIT:
        cache.clear()
    hit = cache[key] = (factor, flipped)
    return hit


_CONTEXTS: dict[str, dict] = {"ja": {}, "zh": {}}


def _raw(folded: str, sentence: str, key: str, present: _Present | None = None) -> dict[str, float]:
    return dict(zip(_ZERO, _raw_values(folded, sentence, key, present), strict=True))


def _raw_values(folded: str, sentence: str, key: str, present: _Present | None = None) -> tuple[float, ...]:
    """(total, pos, neg, negated, sarcasm, emoji_pos, emoji_neg) of one sentence (the keys of _ZERO)."""
    lx = _lang(key)
    if present is None:
        present = _present(folded, sentence, key)
    text = folded
    pos = neg = negated = 0.0
    total = 0.0
    cut = None
    if present.contrast:
        m = lx.contrast.search(text)
        if m and m.start() > 1:
            cut = m.end()
    if present.words:
        contexts = _CONTEXTS.setdefault(key, {})
        words = lx.words
        for m in lx.pattern.finditer(text):
            start, end = m.span()
            w, flipped = _weigh(lx, contexts, words[m.group()], text[max(0, start - 4) : start], text[end : end + 4],
                                None if cut is None else start >= cut)
            negated += flipped
            total += w
            if w > 0:
                pos += w
            else:
                neg -= w
    epos, eneg = _emoji()
    ep = len(epos.findall(sentence)) if present.emoji_pos else 0
    en = len(eneg.findall(sentence)) if present.emoji_neg else 0
    total += 0.5 * (ep - en)
    sarcasm = len(lx.sarcasm.findall(text)) if present.sarcasm else 0
    if sarcasm and total > 0:
        total = -0.8 * total - 0.3
    return (total, pos, neg, negated, float(sarcasm), float(ep), float(en))


def lex_doc(text: str, lang: str, normalized: bool = False, folded: str | None = None) -> LexDoc:
    """One pass of the lexicon scorer over a document (text normalized unless `normalized`;
    `folded` = fold(text) when the caller has it already)."""
    key = "ja" if lang == "ja" else "zh"
    text = text if normalized else normalize(text)
    if folded is None or not normalized:
        folded = fold(text)
    if len(folded) == len(text) and _lang(key).within_sentences:
        return _lex_doc_spans(text, folded, key)
    return _lex_doc_per_sentence(text, folded, key)


def _lex_doc_per_sentence(text: str, folded: str, key: str) -> LexDoc:
    """lex_doc sentence by sentence (each sentence scanned on its own): the reference computation,
    and the path for texts whose fold changed lengths (sentences folded one by one)."""
    if len(folded) == len(text):  # fold once, cut sentences at the same offsets
        pairs = []
        for m in _SENTENCE.finditer(text):
            s = m.group().strip()
            if s:
                pairs.append((s, folded[m.start() : m.end()].strip()))
    else:
        pairs = [(s, fold(s)) for s in split_sentences(text)]
    present = _present(folded, text, key)
    a_total = a_pos = a_neg = a_negated = a_sarcasm = a_ep = a_en = 0.0
    scored = []
    for s, fs in pairs or [("", "")]:
        total, pos, neg, negated, sarcasm, ep, en = _raw_values(fs, s, key, present)
        a_total += total
        a_pos += pos
        a_neg += neg
        a_negated += negated
        a_sarcasm += sarcasm
        a_ep += ep
        a_en += en
        if s:
            scored.append((s, math.tanh(total)))
    return _lexdoc(scored, a_total, a_pos, a_neg, a_negated, a_sarcasm, a_ep, a_en)


def _lexdoc(scored: list, a_total: float, a_pos: float, a_neg: float, a_negated: float, a_sarcasm: float,
            a_ep: float, a_en: float) -> LexDoc:
    if a_sarcasm and a_total > 0:  # 追求自由？笑死[允悲]: a marker anywhere turns the praise
        a_total = -0.8 * a_total - 0.3
    feats = [math.tanh(a_total), math.tanh(a_pos), math.tanh(a_neg),
             min(a_negated, 3) / 3, min(a_sarcasm, 2) / 2,
             min(a_ep, 3) / 3, min(a_en, 3) / 3]
    return LexDoc(scored, math.tanh(a_total), feats)


def _lex_doc_spans(text: str, folded: str, key: str) -> LexDoc:
    """lex_doc with the lexicon words found in one scan of the whole folded text, each match then
    scored in its sentence (context cut at the sentence's bounds), instead of one scan per sentence.

    Same matches, same numbers, same order of additions as `_lex_doc_per_sentence` (a test
    compares them on the gold texts): no lexicon word contains whitespace or a sentence end
    (`_Lang.within_sentences`), so no match crosses a sentence boundary, and a leftmost-longest
    scan of the text meets each sentence's matches exactly as a scan of that sentence does."""
    lx = _lang(key)
    epos, eneg = _emoji()
    matches = [(m.start(), m.end(), m.group()) for m in lx.pattern.finditer(folded)]
    has_contrast = lx.contrast is not None and lx.contrast.search(folded) is not None
    if _emoji_hint().search(text) is None:
        has_ep = has_en = False
    else:
        has_ep = epos.search(text) is not None
        has_en = eneg.search(text) is not None
    has_sarcasm = lx.sarcasm.search(folded) is not None
    a_total = a_pos = a_neg = a_negated = a_sarcasm = a_ep = a_en = 0.0
    scored = []
    if not (matches or has_contrast or has_ep or has_en or has_sarcasm):
        # nothing scores anywhere: every sentence 0.0 (tanh(0.0)), every feature 0.0
        for m in _SENTENCE.finditer(text):
            s = m.group().strip()
            if s:
                scored.append((s, 0.0))
        return _lexdoc(scored, a_total, a_pos, a_neg, a_negated, a_sarcasm, a_ep, a_en)
    contexts = _CONTEXTS.setdefault(key, {})
    words = lx.words
    n_matches = len(matches)
    mi = 0
    for m in _SENTENCE.finditer(text):
        s = m.group().strip()
        if not s:
            continue
        a = m.start()
        raw = folded[a : m.end()]
        fa = a + len(raw) - len(raw.lstrip())  # the folded sentence (stripped) is folded[fa:fb]
        fb = a + len(raw.rstrip())
        total = pos = neg = negated = 0.0
        cut = None
        if has_contrast:
            c = lx.contrast.search(folded[fa:fb])
            if c and c.start() > 1:
                cut = c.end()
        while mi < n_matches and matches[mi][0] < fb:
            start, end, g = matches[mi]
            mi += 1
            w, flipped = _weigh(lx, contexts, words[g], folded[max(fa, start - 4) : start],
                                folded[end : min(end + 4, fb)], None if cut is None else start - fa >= cut)
            negated += flipped
            total += w
            if w > 0:
                pos += w
            else:
                neg -= w
        ep = len(epos.findall(s)) if has_ep else 0
        en = len(eneg.findall(s)) if has_en else 0
        total += 0.5 * (ep - en)
        sarcasm = len(lx.sarcasm.findall(folded[fa:fb])) if has_sarcasm else 0
        if sarcasm and total > 0:
            total = -0.8 * total - 0.3
        a_total += total
        a_pos += pos
        a_neg += neg
        a_negated += negated
        a_sarcasm += float(sarcasm)
        a_ep += float(ep)
        a_en += float(en)
        scored.append((s, math.tanh(total)))
    return _lexdoc(scored, a_total, a_pos, a_neg, a_negated, a_sarcasm, a_ep, a_en)


class LexiconSentiment:
    """Stateless scorer; `features` also feeds the trained model (nlp.features)."""

    def sentences(self, text: str, lang: str) -> list[tuple[str, float]]:
        return lex_doc(text, lang).sentences

    def score(self, text: str, lang: str) -> float:
        return lex_doc(text, lang).score

    def features(self, text: str, lang: str) -> list[float]:
        return lex_doc(text, lang).features
