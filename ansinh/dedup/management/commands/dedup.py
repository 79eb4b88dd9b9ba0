"""`ansinh dedup run --unit CODE [--engine duckdb|spark] [--threshold P] [--json] [--as USERNAME]` and
`ansinh dedup train (--unit CODE | --synthetic N) [--max-records N] [--default] [--as USERNAME]`.

`run` searches a province's or a commune's living people for duplicates (the exact citizen-ID
pass, then the linkage with the active model) with a progress bar on stderr, and prints what it
found; with `--json` it prints one object: `{"run": ID, "people": N, "comparisons": N,
"found_exact": N, "found_linkage": N, "new_pairs": N, "seconds": S}`. Pairs already decided
are never raised again.

`train` trains a new model on a sample (at most `--max-records`, default 200,000) of a unit's
people, or of `--synthetic N` generated people (`dedup.synthetic`), and makes it the active one;
`--default` (with `--synthetic`) writes the model shipped with the code
(`ansinh/dedup/data/default_model.json`) instead of storing it. Re-training is an explicit act:
runs use the frozen model.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from ansinh.accounts.cli import cli_actor, cli_check_unit
from ansinh.accounts.access import REGISTER_FIELD
from ansinh.lib.vietnamese import format_number


class ProgressBar:
    """A text bar on stderr (only on a terminal), redrawn in place at most ten times a second."""

    def __init__(self, out: OutputWrapper, width: int = 30) -> None:
        self.out, self.width, self.last, self.drawn = out, width, 0.0, False
        self.tty = out.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.tty:
            return
        now = time.perf_counter()
        if done < total and now - self.last < 0.1:
            return
        self.last, self.drawn = now, True
        share = done / total if total else 1.0
        filled = int(self.width * share)
        self.out.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {share * 100:.0f}%",
                       style_func=lambda text: text, ending="")
        self.out.flush()

    def close(self) -> None:
        if self.drawn:
            self.out.write("", style_func=lambda text: text)


def _errors(error: ValidationError) -> CommandError:
    return CommandError("; ".join(error.messages))


class Command(BaseCommand):
    help = "Duplicate people: search a unit (exact citizen ID, then record linkage), train the linkage model."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="Search a province's or a commune's people for duplicates.")
        run.add_argument("--unit", required=True, help="code of a province or commune of the current map")
        run.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb",
                         help="duckdb (on this server, default) or spark (local mode, or ANSINH_SPARK_MASTER)")
        run.add_argument("--threshold", type=float, default=None, help="match probability of a review item (0–1; default 0.5)")
        run.add_argument("--json", action="store_true", help="print the figures as one JSON object")
        run.add_argument("--as", dest="as_user", default=None, help="username whose scope applies")
        train = sub.add_parser("train", help="Train the linkage model on a sample and make it the active one.")
        source = train.add_mutually_exclusive_group(required=True)
        source.add_argument("--unit", default=None, help="train on this unit's people")
        source.add_argument("--synthetic", type=int, default=None, help="train on N generated people")
        train.add_argument("--max-records", type=int, default=200_000, help="sample size (default 200000)")
        train.add_argument("--default", action="store_true",
                           help="write the default model shipped with the code (with --synthetic)")
        train.add_argument("--as", dest="as_user", default=None, help="username whose scope applies")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"handle_{options['action']}")(options)

    def handle_run(self, options: dict[str, Any]) -> None:
        from ansinh.dedup import linkage
        from ansinh.poverty.management.commands.poverty import find_unit

        unit = find_unit(options["unit"])
        actor = cli_actor(options["as_user"], data="dữ liệu hộ")
        cli_check_unit(actor, unit, field=REGISTER_FIELD)
        bar = ProgressBar(self.stderr)
        try:
            record = linkage.run(unit=unit, actor=actor, engine=options["engine"], progress=bar,
                                 threshold=options["threshold"] or linkage.REVIEW_THRESHOLD)
        except ValidationError as error:
            raise _errors(error) from None
        except ImportError as error:
            raise CommandError(f"Chưa cài bộ máy {options['engine']}: {error}. Cài gói phụ `spark` "
                               "(pip install -e '.[spark]') và Java 17 trở lên.") from None
        finally:
            bar.close()
        figures = {"run": record.pk, "people": record.people, "comparisons": record.comparisons,
                   "found_exact": record.found_exact, "found_linkage": record.found_linkage,
                   "new_pairs": record.new_pairs, "seconds": record.seconds}
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        self.stdout.write("\n".join([
            f"Tìm người trùng ở {unit.name} ({record.get_engine_display()}):",
            f"  Số người so khớp: {format_number(record.people)}",
            f"  Số cặp đã so: {format_number(record.comparisons)}",
            f"  Trùng số định danh: {format_number(record.found_exact)}",
            f"  Giống tên, ngày sinh, nơi ở: {format_number(record.found_linkage)}",
            f"  Cặp mới cần xem xét: {format_number(record.new_pairs)}",
            f"  Thời gian: {format_number(record.seconds, 1)} giây",
        ]))

    def handle_train(self, options: dict[str, Any]) -> None:
        from ansinh.dedup import linkage, synthetic

        if options["max_records"] < 100:
            raise CommandError("--max-records phải từ 100 trở lên.")
        actor = cli_actor(options["as_user"], data="dữ liệu hộ")
        if options["synthetic"] is not None:
            if options["synthetic"] < 100:
                raise CommandError("--synthetic phải từ 100 người trở lên.")
            table = linkage.records_table(synthetic.generate(options["synthetic"], seed=12))
            note = f"dữ liệu tổng hợp {options['synthetic']} người"
        else:
            if options["default"]:
                raise CommandError("--default chỉ dùng với --synthetic (mô hình mặc định không chứa dữ liệu thật).")
            from ansinh.poverty.management.commands.poverty import find_unit

            unit = find_unit(options["unit"])
            cli_check_unit(actor, unit, field=REGISTER_FIELD)
            table = linkage.prepare(unit)
            note = f"{unit.name}"
        try:
            if options["default"]:
                params = linkage.train_table(table, max_records=options["max_records"])
                linkage.DEFAULT_MODEL.parent.mkdir(parents=True, exist_ok=True)
                linkage.DEFAULT_MODEL.write_text(json.dumps(params, ensure_ascii=False, indent=1) + "\n",
                                                 encoding="utf-8")
                self.stdout.write(f"Đã ghi mô hình mặc định ({format_number(params['records'])} người): "
                                  f"{linkage.DEFAULT_MODEL}")
                return
            model = linkage.train(table, actor=actor, max_records=options["max_records"], note=note)
        except ValidationError as error:
            raise _errors(error) from None
        self.stdout.write(f"Đã huấn luyện mô hình #{model.pk} trên {format_number(model.records)} người; "
                          "mô hình này được dùng từ lần tìm tiếp theo.")
