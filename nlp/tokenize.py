"""spaCy pipelines per language, loaded lazily and once per process.

- Japanese: SudachiPy (split mode C, the dictionary GiNZA uses) feeding a spaCy `ja` Doc directly.
  spaCy's own JapaneseTokenizer also computes sub-token splits and readings for every token, which
  costs ~4x the bare tokenizer; we only need surface, POS tag, lemma and norm.
  GiNZA's full pipeline (ja_ginza: tok2vec + NER) is available through `ginza_pipeline()`; at
  ~2k chars/s it is for `analyze --ner ginza`, not for bulk processing.
- Chinese: spaCy's `zh` language with the jieba segmenter (a private jieba.Tokenizer run over the
  folded text so traditional script segments as well as simplified); domain words added to it.
- Domain phrases (潤日, 経営・管理ビザ, 3S1K ...; corpus/lexicons/domain_{ja,zh}.txt) stay one token:
  both tokenizers merge them on their word lists before building the Doc (cheapest; jieba also has
  them as user words); the `runri_domain_words` component (a retokenizer, registered with
  @Language.factory, same rules) does it in the GiNZA pipeline.
- Speed: each Doc is built in one step from lists, and the (text, tag, offset, is punct/space) tuples
  the stage needs are left on it (`doc.user_data[TOKS_KEY]`, read by nlp.entities.token_tuples).
  The stage itself calls `tokenizer.token_columns(text)`: the same, as lists, without building the Doc
  (it reads nothing else from it; building the Docs cost ~0.45 CPU s per 300k Japanese characters).
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from functools import cache
from itertools import accumulate
from pathlib import Path

import numpy as np
import spacy
from spacy.attrs import IS_PUNCT, IS_SPACE, TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from nlp.memo import Memo
from nlp.normalize import fold_chars  # character-only fold (no NFKC, no lower-casing): same length
from nlp.resources import read_word_list
from nlp.textmatch import literal_pattern

__all__ = ["get_pipeline", "ginza_pipeline", "domain_words", "stop_words", "lang_key", "SudachiTokenizer", "JiebaTokenizer", "jieba_pos"]

_LOCK = threading.Lock()
DOMAIN_TAG_JA = "名詞-固有名詞-一般"
TOKS_KEY = "runri_toks"  # doc.user_data key of the tokenizers' (text, tag, offset, skip) tuples
_TAG_ATTRS = [TAG]


def lang_key(lang: str) -> str:
    """'ja' or 'zh' (zh-Hans, zh-Hant and 'other' go through the Chinese pipeline's tokenizer)."""
    return "ja" if lang == "ja" else "zh"


@cache
def domain_words(key: str) -> tuple[str, ...]:
    words = {w for w in read_word_list(f"domain_{key}.txt")}
    return tuple(sorted(words, key=len, reverse=True))


@cache
def stop_words(key: str) -> frozenset[str]:
    return frozenset(read_word_list(f"stopwords_{key}.txt"))


class _FastTokenizer:
    """Shared by the Sudachi and jieba tokenizers: build the Doc from plain lists in one step and
    keep the (text, tag, offset, is punct/space) tuples the stage reads on the Doc
    (`doc.user_data[TOKS_KEY]`, see nlp.entities.token_tuples), so nothing is read back from it."""

    vocab: object

    def _init_caches(self) -> None:
        strings = self.vocab.strings
        vocab = self.vocab
        # word -> its hash (Doc takes them: no string hashing per token) and is-punct-or-space
        # (spaCy's own lexeme flags, as Token.is_punct / is_space read them)
        self._orth = Memo(strings.add)
        getters = vocab.lex_attr_getters
        is_punct, is_space = getters[IS_PUNCT], getters[IS_SPACE]

        def skip(w: str) -> bool:
            if not w or w in vocab:  # an existing lexeme (or the empty one): its flags
                lex = vocab[w]
                return bool(lex.is_punct or lex.is_space)
            # the flags vocab[w] would give a new lexeme (the vocabulary's own attribute getters),
            # without creating it (~10 us per new word, and the vocabulary would grow with every word)
            return bool(is_punct(w) or is_space(w))

        self._skip = Memo(skip)
        self._tag_hash = Memo(strings.add)  # tag string -> hash in the StringStore

    _domain: object

    def _lists(self, text: str) -> tuple[list[str], list, list[int], bool]:
        """(words, tags, start offsets, whether the text has spaces) from the segmenter."""
        raise NotImplementedError

    def _final_lists(self, text: str) -> tuple[list[str], list[bool], list, list[int]]:
        """Segmenter output with spaces folded into trailing-space flags and domain phrases merged."""
        words, tags, starts, spaced = self._lists(text)
        if spaced:
            words, spaces, tags, starts = _with_spaces(words, tags, starts)
        else:
            spaces = [False] * len(words)
        if self._domain is not None and len(words) > 1:
            self._merge_domain(text, words, spaces, tags, starts)
        return words, spaces, tags, starts

    def __call__(self, text: str) -> Doc:
        return self._make_doc(*self._final_lists(text))

    def token_columns(self, text: str) -> tuple[list[str], list[str], list[int], list[bool]]:
        """The token tuples of `token_tuples` as four lists (texts, tags, offsets, is punct/space):
        what the stage reads, without building the Doc or a tuple per token."""
        words, _spaces, tags, starts = self._final_lists(text)
        return words, tags, starts, list(map(self._skip.__getitem__, words))

    def token_tuples(self, text: str) -> list[tuple[str, str, int, bool]]:
        """The (text, tag, offset, is punct/space) tuples `doc.user_data[TOKS_KEY]` of `self(text)`
        holds, without building the Doc."""
        return list(zip(*self.token_columns(text), strict=True))

    def _merge_domain(self, text, words, spaces, tags, starts) -> None:
        raise NotImplementedError

    def _make_doc(self, words: list[str], spaces: list[bool], tags: list[str], starts: list[int]) -> Doc:
        doc = Doc(self.vocab, words=list(map(self._orth.__getitem__, words)), spaces=spaces)
        if words:
            doc.from_array(_TAG_ATTRS, np.fromiter(map(self._tag_hash.__getitem__, tags), dtype=np.uint64,
                                                    count=len(tags)).reshape(-1, 1))
        doc.user_data[TOKS_KEY] = list(zip(words, tags, starts, map(self._skip.__getitem__, words), strict=True))
        return doc

    # spaCy calls these when (de)serializing a pipeline; nothing to store.
    def to_bytes(self, **_):
        return b""

    def from_bytes(self, _data, **_):
        return self


def _with_spaces(words: list[str], tags: list, starts: list[int]) -> tuple[list, list, list, list]:
    """spaCy convention: one plain space after a token becomes that token's trailing space."""
    w2: list[str] = []
    s2: list[bool] = []
    t2: list = []
    o2: list[int] = []
    for word, tag, start in zip(words, tags, starts, strict=True):
        if not word:
            continue
        if word == " " and s2 and not s2[-1]:
            s2[-1] = True  # other whitespace stays a token, so doc.text == text
            continue
        w2.append(word)
        s2.append(False)
        t2.append(tag)
        o2.append(start)
    return w2, s2, t2, o2


def _merge_spans(spans: list[tuple[int, int]], text: str, words, spaces, tags, starts, tag: str) -> None:
    """Merge token ranges [i, j] (inclusive) into one word each, in place (like spaCy's
    filter_spans + retokenizer: the longest range wins an overlap)."""
    kept: list[tuple[int, int]] = []
    taken: set[int] = set()
    for i, j in sorted(spans, key=lambda s: (s[1] - s[0], -s[0]), reverse=True):
        if not taken.intersection(range(i, j + 1)):
            kept.append((i, j))
            taken.update(range(i, j + 1))
    for i, j in sorted(kept, reverse=True):
        end = starts[j] + len(words[j])
        words[i : j + 1] = [text[starts[i] : end]]
        spaces[i : j + 1] = [spaces[j]]
        tags[i : j + 1] = [tag]
        starts[i : j + 1] = [starts[i]]


class SudachiTokenizer(_FastTokenizer):
    """A light spaCy tokenizer over SudachiPy: words, spaces and tag (POS joined by '-').

    SudachiPy is called exactly like the bare baseline (split mode C, surfaces) plus one POS id per
    morpheme; offsets come from the surfaces' lengths (morphemes cover the text contiguously)."""

    def __init__(self, vocab, split_mode: str = "C") -> None:
        from sudachipy import dictionary, tokenizer

        self.vocab = vocab
        self._tok_dict = dictionary.Dictionary(dict="core")
        # only the fields we read (surface, POS): SudachiPy then loads less word info per morpheme
        self._tok = self._tok_dict.create(fields={"surface", "pos"})
        self._out = None  # the MorphemeList, reused between calls
        self._tags = Memo(self._tag)  # POS id -> "名詞-固有名詞-人名-姓"
        words = domain_words("ja")
        self._domain = literal_pattern(words) if words else None
        self._mode = getattr(tokenizer.Tokenizer.SplitMode, split_mode)
        self._init_caches()

    def _lists(self, text: str) -> tuple[list[str], list, list[int], bool]:
        self._out = morphemes = self._tok.tokenize(text, self._mode, self._out)
        words: list[str] = []
        pos_ids: list[int] = []
        word, pos = words.append, pos_ids.append
        for m in morphemes:  # one pass, each Morpheme object made once
            word(m.surface())
            pos(m.part_of_speech_id())
        tags = list(map(self._tags.__getitem__, pos_ids))
        starts = list(accumulate(map(len, words), initial=0))
        starts.pop()
        return words, tags, starts, " " in text or "" in words

    def _merge_domain(self, text, words, spaces, tags, starts) -> None:
        """Merge domain phrases (潤日, 経営・管理ビザ) split by Sudachi into one word, in place, before
        the Doc exists: much cheaper than a retokenizer pass over every document."""
        for m in reversed(list(self._domain.finditer(text))):
            i = bisect_left(starts, m.start())
            if i >= len(starts) or starts[i] != m.start():
                continue
            j = i
            while j + 1 < len(starts) and starts[j + 1] < m.end():
                j += 1
            if j == i or starts[j] + len(words[j]) != m.end() or any(spaces[i:j]):
                continue
            words[i : j + 1] = [m.group()]
            spaces[i : j + 1] = [spaces[j]]
            tags[i : j + 1] = [DOMAIN_TAG_JA]
            starts[i : j + 1] = [m.start()]

    def _tag(self, pos_id: int) -> str:
        pos = self._tok_dict.pos_of(pos_id)
        return "-".join(p for p in pos[:4] if p != "*")


@cache
def jieba_pos() -> dict[str, str]:
    """word -> POS tag from jieba's own dictionary (nr person, ns place, nt organisation ...).

    A lookup instead of jieba.posseg: posseg's HMM runs ~8x slower than plain segmentation.
    """
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                out[parts[0]] = parts[2]
    return out


class JiebaTokenizer(_FastTokenizer):
    """jieba over the folded text (jieba's dictionary is simplified: 習近平 segments like 习近平),
    tokens cut from the original text at the same offsets (the fold is one char -> one char).

    jieba is called like the bare baseline (`cut(..., HMM=True)`, i.e. `jieba.lcut`), on a private
    Tokenizer holding the domain words. Domain phrases jieba still splits are merged on the word
    lists before the Doc exists, with the rules of the `runri_domain_words` component (which the
    Chinese pipeline therefore does not need)."""

    def __init__(self, vocab) -> None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter on stderr
        self.vocab = vocab
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self._pos = dict(jieba_pos())
        for w in domain_words("zh"):
            self._jieba.add_word(fold_chars(w), freq=200000, tag="nz")
            self._pos[fold_chars(w)] = "nz"
        words = domain_words("zh")
        self._domain = literal_pattern(words) if words else None
        self._init_caches()

    def _lists(self, text: str) -> tuple[list[str], list, list[int], bool]:
        folded = fold_chars(text)
        pieces = list(self._jieba.cut(folded, HMM=True))
        pos_get = self._pos.get
        tags = [pos_get(p, "x") for p in pieces]
        starts = list(accumulate(map(len, pieces), initial=0))
        if folded == text:
            words = pieces
        else:
            words = [text[a:b] for a, b in zip(starts, starts[1:], strict=False)]
        starts.pop()
        return words, tags, starts, " " in text

    def _merge_domain(self, text, words, spaces, tags, starts) -> None:
        """DomainWordMerger's rules on the word lists: a phrase on token boundaries is merged; one
        whose neighbours the segmenter cut into is merged with them if that adds at most 2 chars."""
        spans: list[tuple[int, int]] = []
        n = len(words)
        for m in self._domain.finditer(text):
            i = bisect_right(starts, m.start()) - 1  # token holding the phrase's first char
            j = bisect_left(starts, m.end()) - 1  # token holding its last char
            if i < 0 or j < i or j >= n:
                continue
            # off token boundaries (the segmenter cut inside a neighbour): take the whole tokens
            if j > i and starts[j] + len(words[j]) - starts[i] <= len(m.group()) + 2:
                spans.append((i, j))
        if spans:
            _merge_spans(spans, text, words, spaces, tags, starts, "nz")


@Language.factory("runri_domain_words", default_config={"key": "ja"})
def make_domain_merger(nlp: Language, name: str, key: str) -> DomainWordMerger:
    return DomainWordMerger(key)


class DomainWordMerger:
    """Merge every occurrence of a domain phrase into one token (regex over the text, longest first)."""

    def __init__(self, key: str) -> None:
        words = domain_words(key)
        self._re = literal_pattern(words) if words else None

    def __call__(self, doc: Doc) -> Doc:
        if self._re is None:
            return doc
        spans = []
        for m in self._re.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="strict")
            if span is None:  # segmenter cut inside the phrase's neighbours: take whole tokens
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is None or len(span.text) > len(m.group()) + 2:
                    continue
            if len(span) > 1 and not any(  # never cut through an entity GiNZA found
                e.start < span.end and span.start < e.end and not (span.start <= e.start and e.end <= span.end)
                for e in doc.ents
            ):
                spans.append(span)
        if spans:
            with doc.retokenize() as retok:
                for span in filter_spans(spans):
                    tag = DOMAIN_TAG_JA if doc.lang_ == "ja" else "nz"
                    retok.merge(span, attrs={"TAG": tag, "LEMMA": span.text})
        return doc


@cache
def _build(key: str) -> Language:
    if key == "ja":
        nlp = spacy.blank("ja")
        nlp.tokenizer = SudachiTokenizer(nlp.vocab)
    else:
        nlp = spacy.blank("zh")  # char segmenter config; replaced by our jieba tokenizer below
        nlp.tokenizer = JiebaTokenizer(nlp.vocab)
    # Domain phrases: both tokenizers merge them themselves (jieba also has them as user words);
    # no pipeline component, so nlp.pipe is the tokenizer alone.
    return nlp


def get_pipeline(lang: str) -> Language:
    """The (cached) light pipeline for a language: the tokenizer (domain words merged in it)."""
    key = lang_key(lang)
    with _LOCK:
        return _build(key)


@cache
def ginza_pipeline() -> Language:
    """GiNZA (ja_ginza) with NER only: parser and bunsetu components disabled."""
    nlp = spacy.load("ja_ginza", exclude=["parser", "bunsetu_recognizer", "compound_splitter"])
    nlp.add_pipe("runri_domain_words", config={"key": "ja"}, last=True)
    return nlp
