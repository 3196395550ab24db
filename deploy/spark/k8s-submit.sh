#!/usr/bin/env bash
# Submit one CoEA batch stage to Kubernetes with Spark's native submission (cluster mode):
#   K8S_MASTER=k8s://https://kube-api:6443 COEA_IMAGE=registry/coea-spark-jobs:0.1.0 \
#   COEA_WAREHOUSE=s3a://coea/warehouse deploy/spark/k8s-submit.sh sequences
#   COEA_IMAGE=registry/coea-spark-jobs-gpu:0.1.0 COEA_WAREHOUSE=file:///mnt/coea/warehouse \
#   deploy/spark/k8s-submit.sh pco-cycle --store.kind hbase --store.hbase.quorum zk1,zk2,zk3
# The image (deploy/docker/spark-jobs.Dockerfile) holds the shaded jar at /opt/coea/coea-spark-jobs.jar
# and the discovery script at /opt/coea/getGpusResources.sh. The language-model stages
# (GPU_STAGES) ask for one nvidia.com/gpu per executor and read the Qwen2.5 checkpoint from a
# volume mounted at /models/base on the driver and every executor (COEA_MODEL_CLAIM, a
# ReadOnlyMany PVC); the warehouse of pco-cycle is a ReadWriteMany PVC (COEA_WAREHOUSE_CLAIM)
# mounted at /mnt/coea, since the model registry needs a POSIX path.
# Credentials come from Kubernetes secrets named in SPARK_SUBMIT_OPTS_EXTRA (e.g.
# --conf spark.kubernetes.driver.secretKeyRef.AWS_ACCESS_KEY_ID=coea-s3:access-key), never here.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: K8S_MASTER=k8s://https://HOST:PORT COEA_IMAGE=IMAGE $0 <stage> [--key value ...]" >&2
  exit 2
fi
: "${K8S_MASTER:?set K8S_MASTER to k8s://https://<api-server>:<port>}"
: "${COEA_IMAGE:?set COEA_IMAGE to the spark-jobs image (deploy/docker/spark-jobs.Dockerfile)}"
STAGE=$1
shift
GPU_STAGES="profiles novelty-train relevance-train generate score pco-cycle"
# These train on the driver (SFT, pairwise, DPO+KL; docs/pco.md), so their driver gets a GPU too.
DRIVER_GPU_STAGES="novelty-train relevance-train pco-cycle"
NS=${COEA_NAMESPACE:-coea}

ARGS=(--master "$K8S_MASTER" --deploy-mode cluster
  --class org.coea.spark.CoeaSpark
  --name "coea-$STAGE"
  --conf spark.kubernetes.namespace="$NS"
  --conf spark.kubernetes.container.image="$COEA_IMAGE"
  --conf spark.kubernetes.authenticate.driver.serviceAccountName="${COEA_SERVICE_ACCOUNT:-coea-spark}"
  --conf spark.executor.instances="${COEA_EXECUTORS:-10}"
  --conf spark.executor.cores="${COEA_EXECUTOR_CORES:-4}"
  --conf spark.executor.memory="${COEA_EXECUTOR_MEMORY:-16g}"
  --conf spark.driver.memory="${COEA_DRIVER_MEMORY:-8g}"
  --conf spark.sql.session.timeZone=UTC
  --conf "spark.driver.extraJavaOptions=-Dai.djl.offline=true -Duser.timezone=UTC"
  --conf "spark.executor.extraJavaOptions=-Dai.djl.offline=true -Duser.timezone=UTC")
STAGE_ARGS=(--warehouse "${COEA_WAREHOUSE:-s3a://coea/warehouse}")

if [ -n "${COEA_WAREHOUSE_CLAIM:-}" ]; then
  for role in driver executor; do
    ARGS+=(--conf spark.kubernetes.$role.volumes.persistentVolumeClaim.warehouse.options.claimName="$COEA_WAREHOUSE_CLAIM"
      --conf spark.kubernetes.$role.volumes.persistentVolumeClaim.warehouse.mount.path=/mnt/coea)
  done
fi

case " $GPU_STAGES " in
  *" $STAGE "*)
    ARGS+=(--conf spark.executor.resource.gpu.amount=1
      --conf spark.executor.resource.gpu.vendor=nvidia.com
      --conf spark.executor.resource.gpu.discoveryScript=/opt/coea/getGpusResources.sh
      --conf spark.task.resource.gpu.amount=1
      --conf spark.executor.memoryOverhead="${COEA_EXECUTOR_OVERHEAD:-24g}"
      --conf spark.executorEnv.RUST_FLAVOR=cpu)
    if [ -n "${COEA_MODEL_CLAIM:-}" ]; then
      for role in driver executor; do
        ARGS+=(--conf spark.kubernetes.$role.volumes.persistentVolumeClaim.models.options.claimName="$COEA_MODEL_CLAIM"
          --conf spark.kubernetes.$role.volumes.persistentVolumeClaim.models.options.readOnly=true
          --conf spark.kubernetes.$role.volumes.persistentVolumeClaim.models.mount.path=/models)
      done
      if [ "$STAGE" = profiles ]; then
        STAGE_ARGS+=(--profiles.model /models/base)
      else
        STAGE_ARGS+=(--pco.base-model /models/base)
      fi
    fi
    STAGE_ARGS+=(--model.device "${COEA_MODEL_DEVICE:-gpu}") ;;
esac
case " $DRIVER_GPU_STAGES " in
  *" $STAGE "*)
    ARGS+=(--conf spark.driver.resource.gpu.amount=1
      --conf spark.driver.resource.gpu.vendor=nvidia.com
      --conf spark.driver.resource.gpu.discoveryScript=/opt/coea/getGpusResources.sh
      --conf spark.driver.memoryOverhead="${COEA_DRIVER_OVERHEAD:-24g}") ;;
esac

# shellcheck disable=SC2086
exec "${SPARK_SUBMIT:-spark-submit}" "${ARGS[@]}" ${SPARK_SUBMIT_OPTS_EXTRA:-} \
  local:///opt/coea/coea-spark-jobs.jar "$STAGE" "${STAGE_ARGS[@]}" "$@"
