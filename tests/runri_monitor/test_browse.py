"""`runri browse`: metadata is valid for Datasette and every canned query runs (no server is started)."""

from __future__ import annotations

import asyncio
import json

from click.testing import CliRunner

from runri_monitor.browse import TABLES, datasette_command, metadata
from runri_monitor.store import Store
from runri_monitor.synthetic import fill_store


def test_command_binds_localhost_only(tmp_path):
    argv, meta = datasette_command(tmp_path / "runri.db", 8123)
    assert argv[1:4] == ["-m", "datasette", "serve"]
    assert argv[argv.index("--host") + 1] == "127.0.0.1" and argv[argv.index("--port") + 1] == "8123"
    assert set(meta["databases"]["runri"]["tables"]) >= set(TABLES)
    json.dumps(meta)


def test_canned_queries_run_in_datasette(tmp_path):
    from datasette.app import Datasette

    db = tmp_path / "runri.db"
    with Store.open(db) as s:
        fill_store(s, 200, seed=4, days=60)
        # every described table exists in the schema
        assert set(TABLES) <= set(s.db.table_names())
    meta = metadata("runri")

    async def run():
        ds = Datasette([str(db)], metadata=meta)
        results = {}
        for name in meta["databases"]["runri"]["queries"]:
            params = "?bigrams=润日&_shape=array" if name == "search" else "?_shape=array"
            r = await ds.client.get(f"/runri/{name}.json{params}")
            results[name] = (r.status_code, r.json())
        table = await ds.client.get("/runri/documents.json?_size=1")
        return results, table.status_code

    results, table_status = asyncio.run(run())
    assert table_status == 200
    for name, (status, rows) in results.items():
        assert status == 200, (name, rows)
    assert sum(r["documents"] for r in results["coverage_by_month_and_language"][1]) > 0
    assert results["search"][1]


def test_cli_dry_run(tmp_path):
    from runri_monitor.cli.analysis import browse

    db = tmp_path / "b.db"
    Store.open(db).close()
    res = CliRunner().invoke(browse, ["--db", str(db), "--dry-run", "--port", "9001"])
    assert res.exit_code == 0 and "--host 127.0.0.1 --port 9001" in res.output
    res = CliRunner().invoke(browse, ["--db", str(tmp_path / "none.db"), "--dry-run"])
    assert res.exit_code != 0
