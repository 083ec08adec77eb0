"""PySpark's Python daemon with deident's models loaded first (`spark.python.daemon.module`).

Spark forks every Python worker of an executor from this daemon: loaded here, before the
fork, the spaCy pipeline and the recognizers are shared by all of them (copy-on-write)
instead of being loaded again by each. The model comes from $DEIDENT_SPARK_MODEL (set by
`deident.spark.local_session`, or `spark.executorEnv.DEIDENT_SPARK_MODEL` on a cluster;
$DEIDENT_SPARK_FAST=1 for rules only); without it this is PySpark's daemon unchanged.
"""

from __future__ import annotations

import gc
import os

from pyspark import daemon


def main() -> None:
    model = os.environ.get("DEIDENT_SPARK_MODEL")
    if model:
        from deident.core import preload, shared_analyzer

        analyzer = shared_analyzer(model, ner=os.environ.get("DEIDENT_SPARK_FAST") != "1")
        preload(analyzer, (".txt", ".docx", ".pdf", ".csv", ".xlsx"))  # what no key changes
        gc.freeze()  # the collector must not touch (and so copy) them in every worker
    daemon.manager()


if __name__ == "__main__":
    main()
