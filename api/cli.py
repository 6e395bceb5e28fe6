"""The `sporbar` command line."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from api.service import QueryRejected, Service
from eval import cli as eval_cli
from index.ahead import embedding_ahead
from index.factory import open_index
from index.group import GroupedResult
from index.lock import DataDirBusy, writer_lock
from index.models import Filters, Hit
from index.record import Record
from index.settings import Settings, load_settings
from ingest.pipeline import remove_documents, run_ingest


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", type=Path, default=None, help="data folder (default $SPORBAR_DATA_DIR or ./data)"
    )
    common.add_argument("--json", action="store_true", help="print JSON")
    filters = argparse.ArgumentParser(add_help=False)  # search and ask narrow the same way
    filters.add_argument("--municipality")
    filters.add_argument("--doc-type")
    filters.add_argument("--year", type=int)
    filters.add_argument("--committee", help="a committee's name, short name or words of its name")
    parser = argparse.ArgumentParser(
        prog="sporbar", description="Search and cited answers over municipal documents."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser("ingest", parents=[common], help="ingest files and folders")
    ingest.add_argument("paths", nargs="+", type=Path)
    ingest.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    rm = sub.add_parser("rm", parents=[common], help="remove documents")
    rm.add_argument("ids", nargs="+", metavar="DOC_ID_OR_SOURCE")
    sub.add_parser("docs", parents=[common], help="list documents")
    search = sub.add_parser("search", parents=[common, filters], help="ranked passages for a query")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=10, help="number of results (1-100)")
    search.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    search.add_argument(
        "--group",
        choices=["passage", "document"],
        default="passage",
        help="document: one result per document",
    )
    ask = sub.add_parser("ask", parents=[common, filters], help="an answer with cited passages")
    ask.add_argument("question")
    ask.add_argument("-k", type=int, default=5, help="passages to draw the answer from (1-20)")
    tr = sub.add_parser("trace", parents=[common], help="recommendations and how they were followed up")
    tr.add_argument("--municipality")
    tr.add_argument("--status", choices=["addressed", "partially", "not_addressed"])
    tr.add_argument("--theme")
    tr.add_argument("--year", type=int)
    tr.add_argument("--csv", type=Path, metavar="FILE", help="also write the list as CSV ('-' for stdout)")
    tr.add_argument(
        "--lang", choices=["da", "en"], default="en", help="the CSV's language (column names, reasons)"
    )
    tr.add_argument(
        "--dialect",
        choices=["excel-da", "comma"],
        default="comma",
        help="CSV for Danish Excel (';', decimal comma, UTF-8 with BOM) or plain comma-separated",
    )
    tr.add_argument(
        "--set", nargs=2, metavar=("REC_ID", "STATUS"), help="override a status (STATUS 'clear' removes it)"
    )
    tr.add_argument("--note", default="", help="the reason for an override")
    tr.add_argument("--by", default="", help="who decided an override")
    serve = sub.add_parser("serve", parents=[common], help="the API and the web page")
    serve.add_argument("--host", default=None, help="default $SPORBAR_HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, default=None, help="default $SPORBAR_PORT or 8000")
    evaluate = sub.add_parser("eval", parents=[common], help="retrieval benchmark in a temporary index")
    eval_cli.add_arguments(evaluate)
    return parser


def _print(args: argparse.Namespace, payload: object, text: str) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2) if args.json else text)


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    options = settings.ingest_options(progress=settings.progress and sys.stderr.isatty())
    with writer_lock(settings.lock_path):
        index = open_index(settings, repair=True)
        # The model embeds each document's passages while the next files are parsed; the sync then finds
        # their vectors cached and writes the store.
        with embedding_ahead(index.record, index.embedder, options.progress) as sink:
            report = run_ingest(sink, args.paths, options, prune=args.prune)
        index.sync(progress=options.progress)
        index.trace()
    summary = ", ".join(f"{k} {v}" for k, v in report.public().items() if k != "rejected")
    lines = [summary] + [f"rejected {r['source']}: {r['reason']}" for r in report.rejected]
    _print(args, report.public(), "\n".join(lines))
    return 0


def _rm(args: argparse.Namespace, settings: Settings) -> int:
    with writer_lock(settings.lock_path):
        index = open_index(settings, repair=True)
        removed = remove_documents(index.record, args.ids)
        index.sync()
        index.trace()
    _print(args, {"removed": removed}, f"removed {removed}")
    return 0


def _docs(args: argparse.Namespace, settings: Settings) -> int:
    docs = [d.public() for d in Record(settings.record_path).documents()]
    # The title first: an export's files are named by numbers and ids that say nothing.
    rows = [
        f"{d['doc_id']}  {d['title'] or d['source']}  ({d['source']})  {d['municipality'] or '-'}  "
        f"{d['date'] or d['year'] or '-'}  {d['doc_type']}"
        f"{'  duplicate of ' + str(d['duplicate_of']) if d['duplicate_of'] else ''}"
        f"{'  [restricted]' if d['access'] == 'restricted' else ''}"
        for d in docs
    ]
    _print(args, docs, "\n".join(rows) or "no documents")
    return 0


def _filters(args: argparse.Namespace) -> Filters:
    try:
        # The CLI reads the data dir directly and sees every document, restricted ones marked as such.
        return Filters(
            args.municipality, args.doc_type, args.year, args.committee, restricted=True
        ).normalised()
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _search(args: argparse.Namespace, settings: Settings) -> int:
    if not 1 <= args.k <= 100:
        raise UsageError("-k must be between 1 and 100")
    filters = _filters(args)
    service = Service(settings, open_index(settings))
    try:
        if args.group == "document":
            grouped = service.search_documents(args.query, args.k, filters, mode=args.mode)
            _print(args, grouped.public(), _group_lines(grouped) or "no results")
            return 0
        result = service.search(args.query, args.k, filters, mode=args.mode)
    except QueryRejected as exc:
        raise UsageError(str(exc)) from exc
    lines = [
        f"{i}. [{h.score:.4f}] {_label(h)}\n"
        f"   {h.source} · {h.section or '-'} · p. {h.page or '-'} · {h.start}-{h.end}\n"
        f"   {' '.join(h.text.split())[:200]}"
        for i, h in enumerate(result.results, start=1)
    ]
    _print(args, result.public(), "\n".join(lines) or "no results")
    return 0


def _label(hit: Hit) -> str:
    """A source as people know it: title · municipality · date (or year)."""
    when = hit.date or (str(hit.year) if hit.year else None)
    return " · ".join(part for part in (hit.title or hit.source, hit.municipality, when) if part)


def _group_lines(grouped: GroupedResult) -> str:
    lines = [f"{grouped.total} matching documents"]
    for i, group in enumerate(grouped.results, start=1):
        best = group.best
        weaker = "  (weaker match)" if group.weaker else ""
        lines.append(f"{i}. [{best.score:.4f}] {_label(best)}{weaker}")
        lines.append(f"   {best.source} · {best.section or '-'}")
        lines.append(f"   {' '.join(best.text.split())[:200]}")
        if group.more:
            lines.append(f"   + {len(group.more)} more passages in this document")
    return "\n".join(lines)


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    if not 1 <= args.k <= 20:
        raise UsageError("-k must be between 1 and 20")
    filters = _filters(args)
    try:
        answer = Service(settings, open_index(settings)).ask(args.question, args.k, filters)
    except QueryRejected as exc:
        raise UsageError(str(exc)) from exc
    label = {"generated": "Generated answer, every sentence checked against its source", "excerpts": None}
    heading = [f"({label[answer.mode]})"] if label.get(answer.mode) else []
    lines = [*([answer.notice] if answer.notice else []), *heading, answer.answer, ""] + [
        f"[{c.n}] {c.title or c.source} ({c.source}) · {c.section or '-'} · p. {c.page or '-'} · "
        f"{c.start}-{c.end}: {c.quote}"
        for c in answer.citations
    ]
    _print(args, answer.public(), "\n".join(lines).strip())
    return 0


def _trace(args: argparse.Namespace, settings: Settings) -> int:
    from index.trace.export import RecFilters, to_csv
    from index.trace.models import STATUSES

    service = Service(settings, open_index(settings))
    if args.set:
        rec_id, status = args.set
        if status not in (*STATUSES, "clear"):
            raise UsageError(f"STATUS must be one of {', '.join(STATUSES)} or clear")
        with writer_lock(settings.lock_path):
            changed = service.override(
                rec_id, None if status == "clear" else status, args.note, args.by or "cli", restricted=True
            )
        if changed is None:
            raise UsageError(f"no recommendation {rec_id}")
    keep = RecFilters(args.municipality, args.status, args.theme, None, args.year).keep
    recs = [r for r in service.recommendations(restricted=True) if keep(r)]
    if args.csv is not None:
        table = to_csv(recs, args.lang, args.dialect)
        if str(args.csv) == "-":
            sys.stdout.write(table)
            return 0
        args.csv.write_text(table, encoding="utf-8", newline="")
    lines = [
        f"{r.rec.rec_id}  {r.effective_status:<13} {r.confidence:.2f}  {r.rec.source}  "
        f"{r.rec.theme[:30]:<30}  {(r.rec.department or '')[:30]:<30}  {r.reason_code:<16}  "
        f"{' '.join(r.rec.span.text.split())[:80]}"
        + "".join(f"\n    {h.year or '-'}  {h.status:<13} {h.source}" for h in r.history)
        for r in recs
    ]
    _print(args, [r.public() for r in recs], "\n".join(lines) or "no recommendations")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app
    from api.observe import configure_logging

    updates = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = settings.model_copy(update=updates)
    if not 0 < settings.port < 65536:
        raise UsageError("--port must be between 1 and 65535")
    configure_logging(settings.log_json)
    uvicorn.run(
        create_app(settings), host=settings.host, port=settings.port, log_config=None, access_log=False
    )
    return 0


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from eval.report import terminal_table

    try:
        report = eval_cli.run(args, settings)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    _print(args, report.public(), terminal_table(report))
    return 0


class UsageError(Exception):
    pass


COMMANDS = {
    "ingest": _ingest,
    "rm": _rm,
    "docs": _docs,
    "search": _search,
    "ask": _ask,
    "trace": _trace,
    "serve": _serve,
    "eval": _eval,
}


def main(argv: Sequence[str] | None = None) -> int:
    # OpenMP threads that spin while waiting make every query slow on a shared, busy CPU (measured:
    # seconds instead of tens of milliseconds); a waiting thread should sleep. Set before models load.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.data_dir)
        return COMMANDS[args.command](args, settings)
    except UsageError as exc:
        print(f"sporbar: {exc}", file=sys.stderr)
        return 2
    except DataDirBusy as exc:
        print(f"sporbar: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # one line to stderr, never a traceback for a user
        print(f"sporbar: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
