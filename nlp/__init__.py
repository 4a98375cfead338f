"""nlp: text in, annotations out. Knows nothing about Scrapy or SQLite.

Public entry points (import the submodules; heavy models load lazily on first use):
    nlp.normalize.fold, nlp.normalize.bigram_tokens   fast, dependency-light (store / search)
    nlp.lang.detect                                    ja / zh-Hans / zh-Hant / other
    nlp.pipeline.Analyzer                              the full stage (tokens ... stance)
"""

# Bump when the annotation output changes; nlp.pipeline.nlp_version() adds the models' fingerprint.
NLP_VERSION = "1"

__all__ = ["NLP_VERSION"]
