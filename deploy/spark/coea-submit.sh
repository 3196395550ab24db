#!/usr/bin/env bash
# Submit a CoEA batch stage with spark-submit:
#   COEA_JAR=coea-spark-jobs-0.1.0-SNAPSHOT.jar deploy/spark/coea-submit.sh ingest \
#       --movielens hdfs:///data/ml-1m --warehouse hdfs:///coea/warehouse
# SPARK_SUBMIT_OPTS_EXTRA carries cluster options (e.g. "--master yarn --deploy-mode cluster
# --num-executors 20"); the stage options follow the stage name, as with bin/coea.
# spark-submit sets spark.master, so --spark.master is not needed; Spark adds its own Java 17
# module flags.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: COEA_JAR=JAR $0 <stage> [--key value ...]" >&2
  exit 2
fi
: "${COEA_JAR:?set COEA_JAR to the shaded spark-jobs jar (spark-jobs/target/coea-spark-jobs-*.jar)}"
# shellcheck disable=SC2086
exec "${SPARK_SUBMIT:-spark-submit}" \
  --class org.coea.spark.CoeaSpark \
  --name "coea $1" \
  --conf spark.sql.session.timeZone=UTC \
  --conf "spark.driver.extraJavaOptions=-Dai.djl.offline=true" \
  --conf "spark.executor.extraJavaOptions=-Dai.djl.offline=true" \
  ${SPARK_SUBMIT_OPTS_EXTRA:-} \
  "$COEA_JAR" "$@"
