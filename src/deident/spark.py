"""The folder job on Apache Spark (`pip install deident[spark]`): past one machine.

The driver plans the job as the local backend does (names pseudonymized once, so output
paths never collide) and hands the manifest to Spark; `mapInPandas` runs the same
`deident.batch.process` on each row, with the pipeline loaded once per executor Python
worker. Surrogates come from the key alone (no shared state), so the outputs and report
rows are the local backend's. SRC and DST must be on a filesystem every executor sees.

The key travels to the executors inside the task closure, as the local backend hands it
to its worker processes: run Spark on a trusted cluster with encrypted RPC
(`spark.authenticate`, `spark.network.crypto.enabled`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, fields
from pathlib import Path
from typing import TYPE_CHECKING

from deident.batch import Task, check_folders, plan, process
from deident.core import FileReport, FolderReport
from deident.nlp import DEFAULT_MODEL

if TYPE_CHECKING:
    import pandas
    from pyspark.sql import SparkSession

    from deident.core import Deidentifier

REPORT_SCHEMA = ("source string, output string, status string, reason string, entities string, "
                 "seconds double, input_sha256 string, output_sha256 string, pages long")


def run_spark(deidentifier: Deidentifier, src: Path, dst: Path, spark: SparkSession, *,
              partitions: int | None = None, parquet: Path | None = None) -> FolderReport:
    """Pseudonymize the folder `src` into `dst` on `spark`; optionally also write the
    report rows as Parquet."""
    import pandas as pd

    check_folders(src, dst)
    tasks = [asdict(task) for task in plan(deidentifier, src, None)]
    if not tasks:
        return FolderReport()
    key, config, model = deidentifier._key, deidentifier.config, deidentifier.analyzer.model_name
    source, target = str(src.resolve()), str(dst.resolve())

    def run_partition(frames: Iterator[pandas.DataFrame]) -> Iterator[pandas.DataFrame]:
        from deident.core import shared_deidentifier

        worker = shared_deidentifier(key, config=config, model_name=model)  # once per worker
        for frame in frames:
            rows = [_row(process(worker, Path(source), Path(target), Task(**task)))
                    for task in frame.to_dict("records")]
            yield pd.DataFrame(rows, columns=[f.name for f in fields(FileReport)])

    manifest = spark.createDataFrame(pd.DataFrame(tasks))
    count = partitions or max(1, min(len(tasks), spark.sparkContext.defaultParallelism * 4))
    rows = manifest.repartition(count).mapInPandas(run_partition, REPORT_SCHEMA)
    if parquet is not None:
        rows = rows.cache()
        rows.write.mode("overwrite").parquet(str(parquet))
    report = FolderReport([_file_report(row.asDict()) for row in rows.collect()])
    report.files.sort(key=lambda f: f.source)
    return report


def local_session(workers: int = 2, master: str | None = None, *,
                  model_name: str = DEFAULT_MODEL, fast: bool = False) -> SparkSession:
    """A Spark session (default `local[workers]`) whose Python workers run this
    interpreter, so they import this deident, and fork from a daemon that has loaded the
    models once (deident.spark_daemon). Under spark-submit the existing session and its
    master are used."""
    import os
    import sys

    from pyspark.sql import SparkSession

    preload = {"DEIDENT_SPARK_MODEL": model_name, "DEIDENT_SPARK_FAST": "1" if fast else "0"}
    os.environ.update(preload)  # the local JVM, and so its Python daemon, inherit them

    # Python workers start from the JVM's environment: this interpreter, this deident.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    here = str(Path(__file__).resolve().parents[1])
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys([here, *paths]))
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    return (SparkSession.builder.master(master or f"local[{workers}]").appName("deident")
            .config("spark.pyspark.python", sys.executable)
            .config("spark.pyspark.driver.python", sys.executable)
            .config("spark.ui.enabled", "false")
            .config("spark.python.worker.reuse", "true")
            .config("spark.python.daemon.module", "deident.spark_daemon")
            .config("spark.executorEnv.DEIDENT_SPARK_MODEL", preload["DEIDENT_SPARK_MODEL"])
            .config("spark.executorEnv.DEIDENT_SPARK_FAST", preload["DEIDENT_SPARK_FAST"])
            .getOrCreate())


def _row(report: FileReport) -> dict:
    row = asdict(report)
    row["entities"] = json.dumps(row["entities"], sort_keys=True)
    return row


def _file_report(row: dict) -> FileReport:
    row["entities"] = json.loads(row["entities"])
    return FileReport(**row)
