#!/usr/bin/env bash
# Submit one CoEA batch stage to YARN in cluster mode:
#   COEA_JAR=hdfs:///coea/jars/coea-spark-jobs-0.1.0-SNAPSHOT.jar \
#   COEA_WAREHOUSE=hdfs:///coea/warehouse deploy/spark/yarn-submit.sh sequences
#   COEA_JAR=hdfs:///coea/jars/coea-spark-jobs-gpu-0.1.0-SNAPSHOT.jar \
#   COEA_WAREHOUSE=file:///mnt/coea/warehouse \
#   COEA_BASE_MODEL_ARCHIVE=hdfs:///coea/models/qwen2.5-7b-instruct.tar.gz \
#   deploy/spark/yarn-submit.sh pco-cycle --store.kind hbase --store.hbase.quorum zk1,zk2,zk3
# Every stage of `coea --help` works: the stage name first, then its options (docs/configuration.md).
# The language-model stages (GPU_STAGES) get GPU executors: one GPU per executor and per task,
# the discovery script shipped with --files, and the Qwen2.5 checkpoint shipped with --archives
# and unpacked as ./base-model in every container (driver and executors see the same local path,
# which pco.base-model and profiles.model need). COEA_JAR must then be the jar built with
# `mvn -Pgpu -pl spark-jobs -am package` (DJL's CUDA 12.4 natives inside).
# Cluster settings (queues, Kerberos principal/keytab, TLS) come from the environment:
# SPARK_SUBMIT_OPTS_EXTRA, e.g. "--queue coea --principal coea@REALM --keytab /etc/security/coea.keytab".
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: COEA_JAR=JAR [COEA_WAREHOUSE=hdfs:///...] $0 <stage> [--key value ...]" >&2
  exit 2
fi
: "${COEA_JAR:?set COEA_JAR to the shaded spark-jobs jar (a local path, hdfs:// or s3a://)}"
STAGE=$1
shift
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GPU_STAGES="profiles novelty-train relevance-train generate score pco-cycle"
# These train on the driver (SFT, pairwise, DPO+KL; docs/pco.md), so their driver gets a GPU too.
DRIVER_GPU_STAGES="novelty-train relevance-train pco-cycle"

ARGS=(--master yarn --deploy-mode cluster
  --class org.coea.spark.CoeaSpark
  --name "coea $STAGE"
  --num-executors "${COEA_EXECUTORS:-10}"
  --executor-cores "${COEA_EXECUTOR_CORES:-4}"
  --executor-memory "${COEA_EXECUTOR_MEMORY:-16g}"
  --driver-memory "${COEA_DRIVER_MEMORY:-16g}"
  --conf spark.sql.session.timeZone=UTC
  --conf spark.yarn.maxAppAttempts=1
  --conf "spark.driver.extraJavaOptions=-Dai.djl.offline=true -Duser.timezone=UTC"
  --conf "spark.executor.extraJavaOptions=-Dai.djl.offline=true -Duser.timezone=UTC")
STAGE_ARGS=(--warehouse "${COEA_WAREHOUSE:-hdfs:///coea/warehouse}")

case " $GPU_STAGES " in
  *" $STAGE "*)
    ARGS+=(--conf spark.executor.resource.gpu.amount=1
      --conf spark.task.resource.gpu.amount=1
      --conf spark.executor.resource.gpu.discoveryScript=./getGpusResources.sh
      --conf spark.executor.memoryOverhead="${COEA_EXECUTOR_OVERHEAD:-24g}"
      --conf spark.executorEnv.RUST_FLAVOR=cpu
      --files "$HERE/getGpusResources.sh")
    if [ -n "${COEA_BASE_MODEL_ARCHIVE:-}" ]; then
      ARGS+=(--archives "$COEA_BASE_MODEL_ARCHIVE#base-model")
      if [ "$STAGE" = profiles ]; then
        STAGE_ARGS+=(--profiles.model ./base-model)
      else
        STAGE_ARGS+=(--pco.base-model ./base-model)
      fi
    fi
    STAGE_ARGS+=(--model.device "${COEA_MODEL_DEVICE:-gpu}") ;;
esac
case " $DRIVER_GPU_STAGES " in
  *" $STAGE "*)
    ARGS+=(--conf spark.driver.resource.gpu.amount=1
      --conf spark.driver.resource.gpu.discoveryScript=./getGpusResources.sh
      --conf spark.driver.memoryOverhead="${COEA_DRIVER_OVERHEAD:-24g}") ;;
esac

# shellcheck disable=SC2086
exec "${SPARK_SUBMIT:-spark-submit}" "${ARGS[@]}" ${SPARK_SUBMIT_OPTS_EXTRA:-} \
  "$COEA_JAR" "$STAGE" "${STAGE_ARGS[@]}" "$@"
