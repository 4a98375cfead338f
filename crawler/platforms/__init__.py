"""Pure parsers for social platforms: response text in, DocumentItems and next requests out.

Nothing here imports Scrapy, so every parser is tested on saved fixtures without a crawler.
One module per platform; shared helpers (author hashing, dates, HTML to text) in common.py.
"""
