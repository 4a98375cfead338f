"""The offline web: one HTTP server on 127.0.0.1 serving corpus/web/<host>/<path>.

Two request forms reach the same files (docs/architecture.md, "The offline web"):

- proxy (absolute form): ``GET http://www.tokyo-keizai.test/rss.xml HTTP/1.1`` sent to 127.0.0.1:PORT,
  which is what Scrapy sends when ``request.meta["proxy"]`` is set;
- direct: ``GET /www.tokyo-keizai.test/rss.xml`` for browsing and simple tests.

Per-host behaviour (charset, status, redirects, delays, query-string routes) lives in
``corpus/web/<host>/_site.toml``. Unknown hosts get 502 so that nothing ever leaves 127.0.0.1.

    python -m runri_monitor.webserver --port 0      # prints http://127.0.0.1:PORT/
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import fnmatch
import threading
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["OfflineWeb", "make_server", "serve_offline_web", "DEFAULT_ROOT"]

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "corpus" / "web"

CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".rdf": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/json",
    ".txt": "text/plain",
    ".css": "text/css",
    ".js": "application/javascript",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".gif": "image/gif",
}
# Types that carry a charset parameter (binary types never do).
TEXTUAL = ("text/", "application/xml", "application/rss+xml", "application/atom+xml",
           "application/json", "application/javascript")


@dataclass
class SiteConfig:
    """A host's _site.toml, parsed once (reloaded when the file changes)."""

    charset: str = "utf-8"
    header_charset: bool = True
    paths: list[dict[str, Any]] = field(default_factory=list)
    routes: list[dict[str, Any]] = field(default_factory=list)
    mtime: float = 0.0


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class OfflineWeb:
    """Resolves (host, path, query) to a Reply. Pure logic, testable without sockets."""

    def __init__(self, root: Path = DEFAULT_ROOT) -> None:
        self.root = Path(root)
        self._sites: dict[str, SiteConfig] = {}
        self._route_hits: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()
        # (host, path+query, status) of recent requests: tests check what a crawler fetched.
        self.requests: collections.deque[tuple[str, str, int]] = collections.deque(maxlen=200_000)

    # -- configuration -------------------------------------------------------------------------
    def site(self, host: str) -> SiteConfig | None:
        folder = self.root / host
        if not host or "/" in host or host.startswith(".") or not folder.is_dir():
            return None
        cfg_file = folder / "_site.toml"
        mtime = cfg_file.stat().st_mtime if cfg_file.exists() else 0.0
        with self._lock:
            cached = self._sites.get(host)
            if cached is not None and cached.mtime == mtime:
                return cached
            data: dict[str, Any] = {}
            if cfg_file.exists():
                data = tomllib.loads(cfg_file.read_text(encoding="utf-8"))
            cfg = SiteConfig(
                charset=data.get("charset", "utf-8"),
                header_charset=data.get("header_charset", True),
                paths=list(data.get("path", [])),
                routes=list(data.get("route", [])),
                mtime=mtime,
            )
            self._sites[host] = cfg
            return cfg

    # -- resolution ----------------------------------------------------------------------------
    def resolve(self, host: str, raw_path: str) -> Reply:
        reply = self._resolve(host.lower().split(":")[0], raw_path)
        self.requests.append((host.lower().split(":")[0], raw_path, reply.status))
        return reply

    def _resolve(self, host: str, raw_path: str) -> Reply:
        cfg = self.site(host)
        if cfg is None:
            return Reply(502, b"offline web: unknown host " + host.encode("utf-8", "replace") + b"\n",
                         {"Content-Type": "text/plain; charset=utf-8"})
        parts = urlsplit(raw_path)
        path = unquote(parts.path) or "/"
        # Sites take queries percent-encoded in their own charset (GBK portals, Shift_JIS boards),
        # or in UTF-8 whatever their pages use: try both.
        route = None
        for encoding in dict.fromkeys([cfg.charset or "utf-8", "utf-8"]):
            query = dict(parse_qsl(parts.query, keep_blank_values=True, encoding=encoding, errors="replace"))
            route = self._match_route(host, cfg, path, query)
            if route is not None:
                break
        if route is not None:
            file = self.root / host / route["file"] if route.get("file") else None
            return self._file_reply(host, cfg, path, file, route, int(route.get("status", 200)))

        override = next((p for p in cfg.paths if fnmatch.fnmatchcase(path, p.get("match", ""))), {})
        if "redirect" in override:
            return Reply(int(override.get("redirect_status", 301)), b"",
                         {"Location": override["redirect"], "Content-Type": "text/html"},
                         float(override.get("delay", 0)))
        file = self._file_for(host, path)
        status = int(override.get("status", 200 if file is not None else 404))
        return self._file_reply(host, cfg, path, file, override, status)

    def _match_route(self, host: str, cfg: SiteConfig, path: str,
                     query: dict[str, str]) -> dict[str, Any] | None:
        for i, route in enumerate(cfg.routes):
            if route.get("path") != path:
                continue
            want = {k: str(v) for k, v in (route.get("query") or {}).items()}
            if any(query.get(k) != v for k, v in want.items()):
                continue
            times = route.get("times")
            if times is not None:
                with self._lock:
                    hits = self._route_hits.get((host, i), 0)
                    if hits >= int(times):
                        continue
                    self._route_hits[(host, i)] = hits + 1
            return route
        return None

    def _file_for(self, host: str, path: str) -> Path | None:
        base = (self.root / host).resolve()
        rel = path.lstrip("/")
        if path.endswith("/") or not rel:
            rel += "index.html"
        candidate = (base / rel).resolve()
        # Refuse traversal outside the host folder and the config file itself.
        if base not in candidate.parents or candidate.name == "_site.toml":
            return None
        return candidate if candidate.is_file() else None

    def _file_reply(self, host: str, cfg: SiteConfig, path: str, file: Path | None,
                    override: dict[str, Any], status: int) -> Reply:
        delay = float(override.get("delay", 0))
        if file is None or not file.is_file():
            body = f"<html><body><h1>{status}</h1><p>{path}</p></body></html>\n".encode()
            return Reply(status, body, {"Content-Type": "text/html; charset=utf-8"}, delay)
        ctype = override.get("content_type") or self._guess_type(file)
        charset = override.get("charset", cfg.charset)
        header_charset = override.get("header_charset", cfg.header_charset)
        if header_charset and ctype.startswith(TEXTUAL) and "charset=" not in ctype:
            ctype = f"{ctype}; charset={charset}"
        body = file.read_bytes()
        pad = int(override.get("pad_bytes", 0))  # a huge page without a huge file in the repo
        if pad:
            body += b" " * pad
        return Reply(status, body, {"Content-Type": ctype}, delay)

    @staticmethod
    def _guess_type(file: Path) -> str:
        if file.name == "robots.txt":
            return "text/plain"
        return CONTENT_TYPES.get(file.suffix.lower(), "application/octet-stream")

    def reset_routes(self) -> None:
        """Forget `times` counters (tests that replay a rate-limited route)."""
        with self._lock:
            self._route_hits.clear()


class _Handler(BaseHTTPRequestHandler):
    server_version = "RunriOfflineWeb/1.0"
    protocol_version = "HTTP/1.1"
    web: OfflineWeb  # set on the subclass by make_server

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head=True)

    def _target(self) -> tuple[str, str]:
        if self.path.startswith(("http://", "https://")):  # absolute form: we are the proxy
            parts = urlsplit(self.path)
            path = parts.path or "/"
            return parts.netloc, path + (f"?{parts.query}" if parts.query else "")
        # direct form: /<host>/<path>
        rest = self.path.lstrip("/")
        host, _, tail = rest.partition("/")
        return host.split("?")[0], "/" + tail

    def _serve(self, head: bool) -> None:
        host, path = self._target()
        reply = self.web.resolve(host, path)
        if reply.delay:
            time.sleep(reply.delay)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            if name == "Location" and value.startswith("/") and not self.path.startswith("http"):
                value = f"/{host}{value}"  # keep direct-form redirects inside the host folder
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if not head:
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet by default
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    # A crawler opens dozens of connections at once; the default backlog of 5 drops SYNs and
    # turns into 30 s download timeouts.
    request_queue_size = 256


def make_server(root: Path = DEFAULT_ROOT, port: int = 0, verbose: bool = False) -> ThreadingHTTPServer:
    """A ready (not yet serving) server bound to 127.0.0.1:port (0 = a free port)."""
    handler = type("OfflineWebHandler", (_Handler,), {"web": OfflineWeb(root)})
    server = _Server(("127.0.0.1", port), handler)
    server.daemon_threads = True
    server.verbose = verbose  # type: ignore[attr-defined]
    return server


class ServerURL(str):
    """The base URL (a plain str) that also carries the server's OfflineWeb (`.web.requests`)."""

    web: OfflineWeb


def server_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    url = ServerURL(f"http://{host}:{port}/")
    url.web = server.RequestHandlerClass.web  # type: ignore[attr-defined]
    return url


@contextlib.contextmanager
def serve_offline_web(root: Path = DEFAULT_ROOT, port: int = 0) -> Iterator[str]:
    """Run the offline web in a background thread; yields its base URL (also the proxy URL)."""
    server = make_server(root, port)
    thread = threading.Thread(target=server.serve_forever, name="offline-web", daemon=True)
    thread.start()
    try:
        yield server_url(server)
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the offline web (corpus/web) on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="port (0: a free one)")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="folder of host folders")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    server = make_server(args.root, args.port, args.verbose)
    print(server_url(server), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
