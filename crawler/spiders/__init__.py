"""Spiders: `news` (one generic spider driven by a source file), `adhoc` (--feed / --url),
and platform spiders under spiders/social/."""
