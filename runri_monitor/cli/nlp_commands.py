"""`runri analyze`, `runri process`, `runri train`: the NLP stage from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from runri_monitor.cli.options import db_option, resolve_db_path

NER_CHOICE = click.Choice(["lexicon", "ginza"])


def _analyzer(ner: str, method: str = "default", sentences: bool = True):
    from nlp.pipeline import Analyzer, AnalyzerOptions

    return Analyzer(AnalyzerOptions(ner=ner, topics=method, sentiment=method, stance=method, sentences=sentences))


def read_records(lines, err) -> list[dict]:
    """Parse JSONL {"id","text"[,"lang"]}; a bad line gets one line on stderr and is skipped."""
    records = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict):
                raise ValueError("not a JSON object")
            if not isinstance(rec.get("text"), str):
                raise ValueError('missing "text" string')
        except ValueError as exc:
            err(f"line {n}: {str(exc).splitlines()[0][:120]}")
            continue
        records.append(rec)
    return records


@click.command()
@click.option("--in", "in_path", default="-", show_default=True, help="JSONL input file, or - for stdin.")
@click.option("--out", "out_path", default="-", show_default=True, help="JSONL output file, or - for stdout.")
@click.option("--ner", type=NER_CHOICE, default="ginza", show_default=True,
              help="Japanese entities: ginza (ja_ginza NER, accurate, slower) or lexicon (Sudachi tags + gazetteer).")
@click.option("--method", type=click.Choice(["default", "lexicon", "trained"]), default="default",
              show_default=True, help="Topics/sentiment/stance method (default: the one chosen at training).")
@click.option("--no-sentences", is_flag=True, help="Leave out per-sentence sentiment.")
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(1))
def analyze(in_path: str, out_path: str, ner: str, method: str, no_sentences: bool, batch_size: int) -> None:
    """Annotate texts: JSONL in ({"id","text"[,"lang"]}), JSONL out (id, lang, tokens, keywords,
    entities, topics [{id,score}], sentiment, sentiment_label, stance, sentences).

    A bad input line is reported on stderr with its line number and skipped; the exit code is
    non-zero when nothing could be processed.

    \b
    Example:
        echo '{"id": 1, "text": "潤日の富裕層が豊洲のタワマンを買う"}' | runri analyze
    """
    src = sys.stdin if in_path == "-" else None
    try:
        lines = src.read().splitlines() if src else Path(in_path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise click.ClickException(f"cannot read {in_path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{in_path} is not UTF-8: {exc.reason}") from exc
    records = read_records(lines, lambda msg: click.echo(f"Error: {msg}", err=True))
    if not records:
        raise click.ClickException("no valid input records")
    analyzer = _analyzer(ner, method, sentences=not no_sentences)
    out = sys.stdout if out_path == "-" else open(out_path, "w", encoding="utf-8")  # noqa: SIM115
    try:
        for ann in analyzer.pipe(records, batch_size=batch_size):
            out.write(json.dumps(ann, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()


@click.command()
@db_option
@click.option("--limit", type=click.IntRange(1), default=None, help="Annotate at most N documents.")
@click.option("--batch-size", default=256, show_default=True, type=click.IntRange(1),
              help="Documents per commit (a killed run loses at most one uncommitted batch).")
@click.option("--analysis-batch", type=click.IntRange(1), default=None,
              help="Documents per nlp.pipe batch [default: max(--batch-size, 4096), fewer once a batch holds 1M "
                   "characters or when --workers would otherwise get too few batches].")
@click.option("--ner", type=NER_CHOICE, default="lexicon", show_default=True,
              help="Japanese entities: lexicon (fast) or ginza (ja_ginza NER, ~100x slower).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1),
              help="Worker processes for the analysis (the database is written by this process).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def process(db_path: str | None, limit: int | None, batch_size: int, analysis_batch: int | None, ner: str,
            workers: int, quiet: bool) -> None:
    """Annotate every document lacking an annotation of the current NLP version (resumable).

    \b
    Example:
        runri process --db data/runri.db --batch-size 256
    """
    from tqdm import tqdm

    from nlp.pipeline import nlp_version
    from runri_monitor.processing import process_store
    from runri_monitor.store import Store

    path = resolve_db_path(db_path)
    if not path.exists():
        raise click.ClickException(f"no database at {path} (run `runri init` first)")
    with Store.open(path) as store:
        todo = store.count_without_annotations(nlp_version())
        total = min(todo, limit) if limit else todo
        with tqdm(total=total, unit="doc", disable=quiet or total == 0, file=sys.stderr) as bar:
            result = process_store(store, _analyzer(ner, sentences=True), batch_size=batch_size, limit=limit,
                                   progress=bar.update, workers=workers, analysis_batch=analysis_batch,
                                   todo=todo)
    click.echo(f"annotated {result.annotated} documents (nlp {result.nlp_version}) in {result.seconds:.1f} s"
               + (f", {result.docs_per_second:.0f} docs/s" if result.annotated else ""))


@click.command()
@click.argument("task", type=click.Choice(["topics", "sentiment", "stance", "all"]), default="all")
@click.option("--data", "data_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Labelled CSV (columns text, lang, topics ';'-separated, sentiment, stance) or gold-format "
                   "JSONL; default: corpus/gold/nlp/{ja,zh}.jsonl (train split) and corpus/gold/nlp/long/train/.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Model folder (default: corpus/models).")
def train(task: str, data_path: Path | None, out_dir: Path | None) -> None:
    """Train the topic / sentiment / stance models on the train split and save them.

    Deterministic: the same data gives the same models. The default method per task (lexicon,
    trained, combined) is chosen by 5-fold cross-validation on the training data only.

    \b
    Example:
        runri train all
        runri train sentiment --data my_labels.csv --out my_models/
    """
    from nlp.models import TASKS, load_labelled, train_all, training_gold

    try:
        examples = load_labelled(data_path) if data_path else training_gold()
    except (ValueError, KeyError) as exc:
        raise click.ClickException(str(exc)) from exc
    examples = [e for e in examples if e.split == "train"]
    if not examples:
        raise click.ClickException("no training examples (split=train)")
    tasks = TASKS if task == "all" else (task,)
    try:
        train_all(examples, tasks, out_dir, log=click.echo)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"models written to {out_dir or 'corpus/models'}")
