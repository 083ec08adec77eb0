"""The folder job on Spark (pip install deident[spark]); under spark-submit the cluster's
session is used, otherwise a local one.

    DEIDENT_KEY_FILE=/secure/project.key python examples/spark_job.py SRC DST
"""

import sys
from pathlib import Path

from deident import Deidentifier
from deident.spark import local_session, run_spark

src, dst = Path(sys.argv[1]), Path(sys.argv[2])
deidentifier = Deidentifier()
spark = local_session(workers=2)
report = run_spark(deidentifier, src, dst, spark, parquet=dst.parent / f"{dst.name}-report.parquet")
print(report.statuses(), report.totals())
spark.stop()
