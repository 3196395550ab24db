"""Shared settings of the CoEA DAGs: one place for the jar, the warehouse and the Spark settings.

Every CoEA task is a SparkSubmitOperator that runs org.coea.spark.CoeaSpark from the shaded
spark-jobs jar with a stage name and that stage's options (docs/configuration.md). The values
come from Airflow Variables so that no file holds hosts or credentials; the Spark connection
(conn_id ``spark_coea``) carries the master (yarn or k8s://...), and on a Kerberos cluster its
extras carry the principal and keytab path, which SparkSubmitHook passes to spark-submit.
"""

from datetime import timedelta

from airflow.models import Variable
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

CONN_ID = "spark_coea"
MAIN_CLASS = "org.coea.spark.CoeaSpark"
JAR = Variable.get("coea_jar", default_var="hdfs:///coea/jars/coea-spark-jobs-0.1.0-SNAPSHOT.jar")
GPU_JAR = Variable.get(
    "coea_gpu_jar", default_var="hdfs:///coea/jars/coea-spark-jobs-gpu-0.1.0-SNAPSHOT.jar"
)
# pco-cycle keeps its model registry under the warehouse and needs a POSIX path: a shared mount
# (NFS, CephFS, a ReadWriteMany volume) at the same path on the driver and every executor.
WAREHOUSE = Variable.get("coea_warehouse", default_var="file:///mnt/coea/warehouse")
RAW = Variable.get("coea_raw", default_var="hdfs:///coea/raw")
BASE_MODEL_ARCHIVE = Variable.get(
    "coea_base_model_archive", default_var="hdfs:///coea/models/qwen2.5-7b-instruct.tar.gz"
)
HBASE_QUORUM = Variable.get("coea_hbase_quorum", default_var="zk1,zk2,zk3")
NOVELTY_TABLE = "coea:novelty"
USER_TABLE = "coea:users"

DEFAULT_ARGS = {
    "owner": "coea",
    "depends_on_past": True,
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=6),
}

CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.extraJavaOptions": "-Dai.djl.offline=true -Duser.timezone=UTC",
    "spark.executor.extraJavaOptions": "-Dai.djl.offline=true -Duser.timezone=UTC",
}

GPU_CONF = {
    **CONF,
    "spark.executor.resource.gpu.amount": "1",
    "spark.task.resource.gpu.amount": "1",
    "spark.executor.resource.gpu.discoveryScript": "./getGpusResources.sh",
    "spark.executor.memoryOverhead": "24g",
    "spark.executorEnv.RUST_FLAVOR": "cpu",
}

STORE_ARGS = [
    "--store.kind", "hbase",
    "--store.hbase.quorum", HBASE_QUORUM,
    "--store.novelty-table", NOVELTY_TABLE,
    "--store.user-table", USER_TABLE,
]


# novelty-train, relevance-train and pco-cycle train on the driver (docs/pco.md): a driver GPU.
DRIVER_GPU_CONF = {
    **GPU_CONF,
    "spark.driver.resource.gpu.amount": "1",
    "spark.driver.resource.gpu.discoveryScript": "./getGpusResources.sh",
    "spark.driver.memoryOverhead": "24g",
}
DRIVER_GPU_STAGES = {"novelty-train", "relevance-train", "pco-cycle"}


def coea_task(stage, args, gpu=False, executors=10):
    """One CoEA command as a Spark application: ``coea <stage> --warehouse W <args>``."""
    if gpu:
        conf = DRIVER_GPU_CONF if stage in DRIVER_GPU_STAGES else GPU_CONF
    else:
        conf = CONF
    return SparkSubmitOperator(
        task_id=stage.replace("-", "_"),
        conn_id=CONN_ID,
        application=GPU_JAR if gpu else JAR,
        java_class=MAIN_CLASS,
        name="coea-" + stage + "-{{ ds_nodash }}",
        application_args=[stage, "--warehouse", WAREHOUSE] + list(args),
        conf=conf,
        files="getGpusResources.sh" if gpu else None,
        archives=BASE_MODEL_ARCHIVE + "#base-model" if gpu else None,
        num_executors=4 if gpu else executors,
        executor_cores=8 if gpu else 4,
        executor_memory="48g" if gpu else "16g",
        driver_memory="32g" if gpu else "8g",
    )


def hbase_init_task():
    """``coea hbase-init``: creates the serving tables if missing (no Spark session, no warehouse)."""
    return SparkSubmitOperator(
        task_id="hbase_init",
        conn_id=CONN_ID,
        application=JAR,
        java_class=MAIN_CLASS,
        name="coea-hbase-init-{{ ds_nodash }}",
        application_args=[
            "hbase-init",
            "--store.hbase.quorum", HBASE_QUORUM,
            "--store.novelty-table", NOVELTY_TABLE,
            "--store.user-table", USER_TABLE,
            "--hbase-init.novelty-regions", "16",
        ],
        conf=CONF,
        num_executors=1,
    )
