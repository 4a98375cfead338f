"""Social-platform spiders: one module per platform, parsing done by crawler.platforms.<platform>."""
