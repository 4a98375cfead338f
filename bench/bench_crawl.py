"""Crawl throughput: our full pipeline vs a bare Scrapy spider that only fetches.

Builds a scaled copy of the offline web (10,000 article pages by default) in a temp folder:
every gold article page of corpus/web is copied N times under /bench/<n>/... with its own
canonical URL and a marked title, listed in per-host news sitemaps. Both crawls go through
the same offline web server with the same concurrency settings; robots.txt is obeyed by both.

    python bench/bench_crawl.py [--pages 10000]     # prints figures, writes bench/results/crawl.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.extraction.encoding import decode_html  # noqa: E402
from crawler.extraction.evaluate import load_gold  # noqa: E402
from runri_monitor.webserver import serve_offline_web  # noqa: E402

WEB = ROOT / "corpus" / "web"
GOLD = ROOT / "corpus" / "gold" / "extraction"
# Same for both crawls: throughput, not politeness, is measured here.
SETTINGS = {"CONCURRENT_REQUESTS": "64", "CONCURRENT_REQUESTS_PER_DOMAIN": "16", "DOWNLOAD_DELAY": "0",
            "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "ERROR", "RETRY_ENABLED": "False"}


def build(out: Path, pages: int) -> tuple[Path, Path, int]:
    web, sources = out / "web", out / "sources"
    gold = [g for g in load_gold(GOLD)]
    copies = -(-pages // len(gold))
    by_host: dict[str, list[str]] = {}
    written = 0
    for n in range(copies):
        for g in gold:
            if written >= pages:
                break
            parts = urlsplit(g["url"])
            host, path = parts.hostname, parts.path
            src = WEB / host / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
            if not src.is_file():
                continue
            text, codec = decode_html(src.read_bytes())
            new_path = f"/bench/{n}{path}" + ("index.html" if path.endswith("/") else "")
            new_url = f"http://{host}{new_path}"
            text = text.replace(g["url"], new_url).replace(g["title"], f"{g['title']}（{n}）")
            target = web / host / new_path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode(codec, errors="xmlcharrefreplace"))
            by_host.setdefault(host, []).append(new_url)
            written += 1
    sources.mkdir(parents=True, exist_ok=True)
    for host, urls in by_host.items():
        for name in ("_site.toml", "robots.txt"):
            if (WEB / host / name).exists():
                shutil.copy(WEB / host / name, web / host / name)
        entries = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
        (web / host / "bench_sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{entries}</urlset>", encoding="utf-8")
        sid = "b_" + host.replace(".", "_").replace("-", "_")
        (sources / f"{sid}.toml").write_text(
            f'id = "{sid}"\nname = "{host}"\nlanguage = "multi"\nkind = "news"\nhomepage = "http://{host}/"\n'
            f'article_url = "^/bench/"\nsitemaps = ["http://{host}/bench_sitemap.xml"]\n', encoding="utf-8")
    return web, sources, written


BARE = '''
import sys, scrapy
from scrapy.crawler import CrawlerProcess
from lxml import etree
proxy, settings, sitemaps = sys.argv[1], eval(sys.argv[2]), sys.argv[3:]
class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for url in sitemaps:
            yield scrapy.Request(url, callback=self.parse_sitemap, meta={"proxy": proxy})
    def parse_sitemap(self, response):
        for loc in etree.fromstring(response.body).iter("{*}loc"):
            yield scrapy.Request(loc.text, callback=self.parse, meta={"proxy": proxy})
    def parse(self, response):
        self.crawler.stats.inc_value("bare/pages")
s = {"ROBOTSTXT_OBEY": True, "USER_AGENT": "runri-bench", **settings}
p = CrawlerProcess(s)
c = p.create_crawler(Bare)
p.crawl(c)
p.start()
print(c.stats.get_value("bare/pages", 0))
'''


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="runri-bench-") as tmp:
        tmpdir = Path(tmp)
        t0 = time.perf_counter()
        web, sources, pages = build(tmpdir, args.pages)
        print(f"built {pages} pages in {time.perf_counter() - t0:.1f}s")
        with serve_offline_web(web) as url:
            proxy = url.rstrip("/")
            sitemaps = [f"http://{h.name}/bench_sitemap.xml" for h in web.iterdir() if h.is_dir()]
            env = {**os.environ, "PYTHONWARNINGS": "ignore"}

            bare_script = tmpdir / "bare_spider.py"
            bare_script.write_text(BARE, encoding="utf-8")  # a file: Scrapy inspects callback sources
            t0 = time.perf_counter()
            out = subprocess.run([sys.executable, str(bare_script), proxy, repr(SETTINGS), *sitemaps],
                                 capture_output=True, text=True, env=env, check=True)
            bare_s = time.perf_counter() - t0
            bare_pages = int(out.stdout.strip().splitlines()[-1])

            cmd = [sys.executable, "-m", "runri_monitor", "crawl", "--db", str(tmpdir / "b.db"),
                   "--sources-dir", str(sources), "--offline-proxy", proxy, "--json"]
            for k, v in SETTINGS.items():
                cmd += ["--set", f"{k}={v}"]
            t0 = time.perf_counter()
            out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=True)
            full_s = time.perf_counter() - t0
            stats = json.loads(out.stdout)["sources"]
            full_pages = sum(s.get("articles", 0) + s.get("errors/empty", 0) for s in stats.values())
            stored = sum(s.get("new", 0) for s in stats.values())
    result = {
        "pages": pages,
        "bare_fetch": {"pages": bare_pages, "seconds": round(bare_s, 2), "pages_per_s": round(bare_pages / bare_s, 1)},
        "full_pipeline": {"pages": full_pages, "stored": stored, "seconds": round(full_s, 2),
                          "pages_per_s": round(full_pages / full_s, 1)},
        "settings": SETTINGS,
        "note": "wall-clock per crawl subprocess incl. ~1-2 s Scrapy start-up; server in the bench process",
    }
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "results" / "crawl.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"bare Scrapy fetch-only : {result['bare_fetch']['pages_per_s']:8.1f} pages/s "
          f"({bare_pages} pages, {bare_s:.1f} s)")
    print(f"runri full pipeline    : {result['full_pipeline']['pages_per_s']:8.1f} pages/s "
          f"({full_pages} pages, {stored} stored, {full_s:.1f} s)")


if __name__ == "__main__":
    main()
