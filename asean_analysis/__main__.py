"""Command line: ``python -m asean_analysis {reproduce,run,sweep,fetch,ledger,params,report,diff,readme} ...`` (``--help`` on each).

Every failure ends with a non-zero exit and one ``error:`` line that names the problem and the fix;
no traceback reaches the user. Heavy libraries are imported only by the command that needs them.
"""

import argparse
import json
import signal
import sys
from pathlib import Path

from . import paths
from .errors import AseanError


def _notebooks() -> list[str]:
    return sorted(p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m asean_analysis", description=__doc__.split(":")[0] + ".")
    sub = top.add_subparsers(dest="command", required=True)
    timeout_help = "per-cell execution timeout in seconds (default 600)"

    rep = sub.add_parser("reproduce", help="publish: every notebook with the article's parameters into outputs/, "
                                           "the report, the committed notebooks and README tables",
                         description="The publish step (what `make reproduce` runs). The complete result is built "
                                     "aside and switched into outputs/ in one step.")
    rep.add_argument("--timeout", type=int, default=600, metavar="SECONDS", help=timeout_help)
    rep.add_argument("--workers", type=int, default=None, metavar="N", help="notebooks executed at once (default: CPUs)")
    rep.add_argument("--force", action="store_true", help="ignore every cache")

    run = sub.add_parser("run", help="execute notebooks with other parameters into a result folder (never outputs/)",
                         description="Execute the notebooks with papermill, record computed values and write the "
                                     "claims ledger into --out (default: a new folder under runs/). Parameters are "
                                     "checked against each notebook's parameters cell and the catalogue (`params`) "
                                     "before anything runs.")
    run.add_argument("--notebook", action="append", metavar="NAME",
                     help=f"notebook to run (repeatable; default all): {', '.join(_notebooks())}")
    run.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                     help="set a parameter, e.g. -p year=2022 -p gdp_source=imf-2024-10 (repeatable)")
    run.add_argument("--params", type=Path, metavar="FILE.yaml", help="YAML mapping of parameter values (-p wins)")
    run.add_argument("--out", type=Path, default=None, metavar="DIR",
                     help="result folder: new, or an earlier result folder (default: a new folder under runs/)")
    run.add_argument("--timeout", type=int, default=600, metavar="SECONDS", help=timeout_help)
    run.add_argument("--workers", type=int, default=None, metavar="N",
                     help="notebooks executed at once, one kernel each (default: the number of CPUs)")
    run.add_argument("--force", action="store_true", help="ignore every cache: execute and parse everything again")

    sweep = sub.add_parser("sweep", help="run a parameter grid and write a verdict-stability table",
                           description="Run every parameter set of a YAML grid (name: [values], optional "
                                       "notebooks: [names]) and write <out>/sensitivity.csv with a chart.")
    sweep.add_argument("--grid", type=Path, required=True, metavar="GRID.yaml")
    sweep.add_argument("--out", type=Path, default=None, metavar="DIR", help="default: a new folder under runs/")
    sweep.add_argument("--workers", type=int, default=None, metavar="N",
                       help="workers, one batch of each notebook's sets per worker (default: the CPUs, or the cluster's threads)")
    sweep.add_argument("--scheduler", metavar="ADDRESS",
                       help="address of a Dask distributed scheduler (e.g. tcp://host:8786) to run the grid on a cluster")
    sweep.add_argument("--timeout", type=int, default=600, metavar="SECONDS", help=timeout_help)
    sweep.add_argument("--force", action="store_true", help="ignore every cache")

    sub.add_parser("fetch", help="fill data/raw/ from the mirror (ASEAN_DATA_MIRROR) or pinned downloads; check sha256")

    ledger = sub.add_parser("ledger", help="rebuild the claims ledger of a result folder (not outputs/)")
    ledger.add_argument("--out", type=Path, required=True, metavar="DIR")

    sub.add_parser("params", help="list every parameter: meaning, type, default per notebook, allowed values")

    report = sub.add_parser("report", help="build the offline HTML report of a result folder into DIR/report/")
    report.add_argument("--out", type=Path, required=True, metavar="DIR", help="the result folder")

    dif = sub.add_parser("diff", help="what changed between two result folders: verdicts, values, figures, inputs "
                         "(exit 0 same, 1 different, 2 error)")
    dif.add_argument("a", type=Path, metavar="A", help="the earlier result folder, e.g. outputs")
    dif.add_argument("b", type=Path, metavar="B", help="the later result folder, e.g. a rerun")
    dif.add_argument("--md", type=Path, metavar="FILE", help="write the markdown summary to FILE (default: stdout)")

    readme = sub.add_parser("readme", help="rewrite the README's generated tables from the registry and the manifest")
    readme.add_argument("--check", action="store_true", help="only report whether they are stale (exit 1 if so)")
    return top


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _run(args) -> int:
    from . import runner

    ok, folder = runner.run(args.notebook, args.param, args.params, args.out, args.timeout, args.workers, args.force)
    if ok:
        return 0
    status = json.loads((folder / "run.json").read_text(encoding="utf-8"))["notebooks"]
    failed = [f"{name}: {info['error']}" for name, info in status.items() if info["status"] != "ok"]
    print(f"error: {len(failed)} notebook(s) failed ({'; '.join(failed)}); the result folder is unchanged; "
          f"the failed run (executed notebooks with tracebacks, ledger) is kept in {folder}", file=sys.stderr)
    return 1


def _sweep(args) -> int:
    from . import runner, sweep

    executor, workers = None, args.workers
    if args.scheduler:
        from distributed import Client

        client = Client(args.scheduler, timeout=30)
        executor = client.get_executor()
        workers = workers or min(sum(client.nthreads().values()), runner.MAX_WORKERS) or None  # a batch per cluster thread
    doc = sweep.read_grid(args.grid)
    frame, failed = sweep.run(doc, args.out, executor, workers, args.timeout, force=args.force)
    print(sweep.stability(frame).to_string())
    if failed:
        print(f"error: {len(failed)} of the sweep's tasks failed: {'; '.join(failed[:5])}"
              f"{' …' if len(failed) > 5 else ''}; their claims show 'error' in sensitivity.csv", file=sys.stderr)
        return 1
    return 0


def _params() -> int:
    from . import params

    for line in params.catalogue(_notebooks()):
        print(line)
    return 0


def _dispatch(args) -> int:
    if args.command == "reproduce":
        from . import runner

        folder = runner.reproduce(args.timeout, args.workers, args.force)
        print(f"[done] published {folder}; report {folder / 'report' / 'index.html'}")
        return 0
    if args.command == "run":
        return _run(args)
    if args.command == "sweep":
        return _sweep(args)
    if args.command == "fetch":
        from . import fetch

        for path in fetch.fetch():
            print(f"[ok] {path.relative_to(paths.data_dir())}")
        return 0
    if args.command == "ledger":
        from . import claims, publish

        out = publish.check_target(args.out)
        claims.write_ledger(claims.ledger(out), out)
        print(f"[done] {out / 'claims_ledger.md'}")
        return 0
    if args.command == "report":
        from . import report

        print(f"[done] {report.build(args.out.resolve())}")
        return 0
    if args.command == "diff":
        from . import diff

        return diff.main(args.a, args.b, args.md)
    if args.command == "readme":
        from . import readme

        stale = readme.update(check=args.check)
        print(f"[{'stale' if stale and args.check else 'done'}] README.md generated tables "
              + ("are stale: run `python -m asean_analysis readme`" if stale and args.check else
                 "refreshed" if stale else "are up to date"))
        return 1 if stale and args.check else 0
    return _params()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _dispatch(args)
    except AseanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; every kernel was stopped and the result folder is unchanged "
              "(an earlier result stays as it was)", file=sys.stderr)
        return 130
    except RecursionError:
        print("error: an input is nested too deeply to read; simplify it", file=sys.stderr)
        return 2
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}; check that the path exists, is writable and the disk has space",
              file=sys.stderr)
        return 2
    except Exception as exc:  # the last guard: one line, never a traceback
        print(f"error: unexpected {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}; "
              "please report it with the command you ran", file=sys.stderr)
        return 3
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
