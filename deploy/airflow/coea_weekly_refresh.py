"""The weekly CoEA refresh: CSA, groups and profiles, then the Novelty and Relevance models.

Runs after the daily DAG's sequences of the same date (an ExternalTaskSensor) and rebuilds the
long-term side: csa -> groups -> profiles -> pco-datasets -> novelty-train -> relevance-train
-> generate -> score -> store. The language-model stages run on GPU executors with the Qwen2.5
checkpoint shipped as ./base-model (deploy/spark/yarn-submit.sh does the same by hand).
"""

from datetime import datetime, timedelta

from airflow import DAG
from airflow.sensors.external_task import ExternalTaskSensor
from coea_common import DEFAULT_ARGS, STORE_ARGS, coea_task

with DAG(
    dag_id="coea_weekly_refresh",
    description="CoEA weekly refresh: csa -> groups -> profiles -> pco models -> generate -> score -> store",
    schedule="0 5 * * 0",
    start_date=datetime(2026, 1, 4),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["coea"],
) as dag:
    wait_for_sequences = ExternalTaskSensor(
        task_id="wait_for_daily_sequences",
        external_dag_id="coea_daily",
        external_task_id="sequences",
        execution_delta=timedelta(hours=2),
        mode="reschedule",
        timeout=6 * 3600,
    )

    csa = coea_task("csa", ["--csa.workers", "4", "--csa.sync-every", "20"], executors=4)
    groups = coea_task("groups", ["--groups.codebook-size", "16"])
    profiles = coea_task(
        "profiles", ["--profiles.model", "./base-model", "--model.device", "gpu"], gpu=True
    )
    datasets = coea_task("pco-datasets", [])
    novelty = coea_task(
        "novelty-train", ["--pco.base-model", "./base-model", "--model.device", "gpu"], gpu=True
    )
    relevance = coea_task(
        "relevance-train", ["--pco.base-model", "./base-model", "--model.device", "gpu"], gpu=True
    )
    generate = coea_task(
        "generate", ["--pco.base-model", "./base-model", "--model.device", "gpu"], gpu=True
    )
    score = coea_task(
        "score", ["--pco.base-model", "./base-model", "--model.device", "gpu"], gpu=True
    )
    store = coea_task("store", STORE_ARGS)

    (
        wait_for_sequences
        >> csa
        >> groups
        >> profiles
        >> datasets
        >> [novelty, relevance]
    )
    [novelty, relevance] >> generate >> score >> store
