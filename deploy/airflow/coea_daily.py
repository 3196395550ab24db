"""The daily CoEA cycle: ingest the run date's log export, split, sequences, pco-cycle.

The upstream export for run date ``ds`` lands that day's clicks under ``<raw>/clicks/dt=<ds>/``
and the new or changed items under ``<raw>/items/dt=<ds>/``; ``ingest --ingest.mode append``
merges them into the warehouse (events added once, so a rerun of the date changes nothing; items
upserted; category ids kept) and keeps the last 60 days of events. ``pco-cycle`` publishes every cycle's registry version to the HBase store
itself (docs/pco.md), so the daily DAG has no separate ``store`` task (``store`` would refuse a
version the store already holds); ``lookup`` then probes the serving store. The weekly DAG
(coea_weekly_refresh.py) retrains CSA, the groups and the models.
"""

from datetime import datetime

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from coea_common import (
    CONF,
    CONN_ID,
    DEFAULT_ARGS,
    JAR,
    MAIN_CLASS,
    RAW,
    STORE_ARGS,
    WAREHOUSE,
    coea_task,
    hbase_init_task,
)

with DAG(
    dag_id="coea_daily",
    description="CoEA daily cycle: ingest -> split -> sequences -> pco-cycle (stores) -> lookup probe",
    schedule="0 3 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["coea"],
) as dag:
    hbase_init = hbase_init_task()

    ingest = coea_task(
        "ingest",
        [
            "--clicks", RAW + "/clicks/dt={{ ds }}",
            "--items", RAW + "/items/dt={{ ds }}",
            "--clicks.format", "parquet",
            "--ingest.mode", "append",
            "--ingest.retain-days", "60",
        ],
    )

    split = coea_task("split", ["--split.mode", "by-day"])

    sequences = coea_task("sequences", [])

    pco_cycle = coea_task(
        "pco-cycle",
        ["--pco.base-model", "./base-model", "--model.device", "gpu"] + STORE_ARGS,
        gpu=True,
    )

    probe = SparkSubmitOperator(
        task_id="lookup_probe",
        conn_id=CONN_ID,
        application=JAR,
        java_class=MAIN_CLASS,
        name="coea-lookup-{{ ds_nodash }}",
        application_args=["lookup", "--warehouse", WAREHOUSE, "--user", "1"] + STORE_ARGS,
        conf=CONF,
        num_executors=1,
        retries=0,
    )

    hbase_init >> ingest >> split >> sequences >> pco_cycle >> probe
