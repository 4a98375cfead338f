"""spaCy pipelines per language, loaded lazily and once per process.

- Japanese: SudachiPy (split mode C, the dictionary GiNZA uses) feeding a spaCy `ja` Doc directly.
  spaCy's own JapaneseTokenizer also computes sub-token splits and readings for every token, which
  costs ~4x the bare tokenizer; we only need surface, POS tag, lemma and norm.
  GiNZA's full pipeline (ja_ginza: tok2vec + NER) is available through `ginza_pipeline()`; at
  ~2k chars/s it is for `analyze --ner ginza`, not for bulk processing.
- Chinese: spaCy's `zh` language with the jieba segmenter (a private jieba.Tokenizer run over the
  folded text so traditional script segments as well as simplified); domain words added to it.
- Domain phrases (潤日, 経営・管理ビザ, 3S1K ...; corpus/lexicons/domain_{ja,zh}.txt) stay one token:
  the Japanese tokenizer merges them before building the Doc (cheapest), jieba has them as user
  words, and the `runri_domain_words` component (a retokenizer, registered with @Language.factory)
  merges any remaining split in the Chinese and GiNZA pipelines.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from nlp.normalize import fold_table
from nlp.resources import read_word_list
from nlp.textmatch import literal_pattern

__all__ = ["get_pipeline", "ginza_pipeline", "domain_words", "stop_words", "lang_key", "SudachiTokenizer", "JiebaTokenizer", "jieba_pos"]

_LOCK = threading.Lock()
DOMAIN_TAG_JA = "名詞-固有名詞-一般"


def lang_key(lang: str) -> str:
    """'ja' or 'zh' (zh-Hans, zh-Hant and 'other' go through the Chinese pipeline's tokenizer)."""
    return "ja" if lang == "ja" else "zh"


@cache
def domain_words(key: str) -> tuple[str, ...]:
    words = {w for w in read_word_list(f"domain_{key}.txt")}
    return tuple(sorted(words, key=len, reverse=True))


def fold_chars(text: str) -> str:
    """Character-only fold (no NFKC, no lower-casing): same length as the input."""
    return text.translate(fold_table())


@cache
def stop_words(key: str) -> frozenset[str]:
    return frozenset(read_word_list(f"stopwords_{key}.txt"))


class SudachiTokenizer:
    """A light spaCy tokenizer over SudachiPy: words, spaces and tag (POS joined by '-')."""

    def __init__(self, vocab, split_mode: str = "C") -> None:
        from sudachipy import dictionary, tokenizer

        self.vocab = vocab
        self._tok_dict = dictionary.Dictionary(dict="core")
        self._tok = self._tok_dict.create()
        self._tags: dict[int, str] = {}  # POS id -> "名詞-固有名詞-人名-姓"
        words = domain_words("ja")
        self._domain = literal_pattern(words) if words else None
        self._mode = getattr(tokenizer.Tokenizer.SplitMode, split_mode)

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        starts: list[int] = []
        offset = 0  # morphemes cover the text contiguously: offsets without m.begin() calls
        tag_of = self._tags
        for m in self._tok.tokenize(text, self._mode):
            surface = m.surface()
            if not surface:
                continue
            start = offset
            offset += len(surface)
            if surface == " " and spaces and not spaces[-1]:
                spaces[-1] = True  # spaCy convention: one plain space belongs to the previous token
                continue
            words.append(surface)
            spaces.append(False)
            pos_id = m.part_of_speech_id()
            tags.append(tag_of[pos_id] if pos_id in tag_of else self._tag(pos_id))
            starts.append(start)
        if self._domain is not None and len(words) > 1:
            self._merge_domain(text, words, spaces, tags, starts)
        return Doc(self.vocab, words=words, spaces=spaces, tags=tags)

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
        tag = self._tags.get(pos_id)
        if tag is None:
            pos = self._tok_dict.pos_of(pos_id)
            tag = self._tags[pos_id] = "-".join(p for p in pos[:4] if p != "*")
        return tag

    # spaCy calls these when (de)serializing a pipeline; nothing to store.
    def to_bytes(self, **_):
        return b""

    def from_bytes(self, _data, **_):
        return self


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


class JiebaTokenizer:
    """jieba over the folded text (jieba's dictionary is simplified: 習近平 segments like 习近平),
    tokens cut from the original text at the same offsets (the fold is one char -> one char)."""

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

    def __call__(self, text: str) -> Doc:
        folded = fold_chars(text)
        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        pos = 0
        for piece in self._jieba.cut(folded, HMM=True):
            end = pos + len(piece)
            if piece == " " and spaces and not spaces[-1]:
                spaces[-1] = True  # other whitespace stays a token, so doc.text == text
                pos = end
                continue
            words.append(text[pos:end])
            spaces.append(False)
            tags.append(self._pos.get(piece, "x"))
            pos = end
        return Doc(self.vocab, words=words, spaces=spaces, tags=tags)

    def to_bytes(self, **_):
        return b""

    def from_bytes(self, _data, **_):
        return self


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
    # Domain phrases: the Japanese tokenizer merges them itself, jieba has them in its dictionary;
    # the retokenizing component is still cheap insurance for Chinese (few multi-token matches).
    if key == "zh":
        nlp.add_pipe("runri_domain_words", config={"key": key})
    return nlp


def get_pipeline(lang: str) -> Language:
    """The (cached) light pipeline for a language: tokenizer + domain-word merger."""
    key = lang_key(lang)
    with _LOCK:
        return _build(key)


@cache
def ginza_pipeline() -> Language:
    """GiNZA (ja_ginza) with NER only: parser and bunsetu components disabled."""
    nlp = spacy.load("ja_ginza", exclude=["parser", "bunsetu_recognizer", "compound_splitter"])
    nlp.add_pipe("runri_domain_words", config={"key": "ja"}, last=True)
    return nlp
