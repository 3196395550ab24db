# The batch image: Spark 4 plus the shaded spark-jobs jar (Spark and Hadoop are provided by the
# base image, as spark-submit expects; the jar holds common, model-runtime, stores, DJL, the
# HBase shaded client). Build the jar first, from the repository root:
#   mvn -B -pl spark-jobs -am package -DskipTests                 (CPU natives)
#   mvn -B -Pgpu -pl spark-jobs -am package -DskipTests           (CUDA 12.4 natives, GPU image)
#   docker build -f deploy/docker/spark-jobs.Dockerfile -t coea/spark-jobs:0.1.0 .
# For the GPU image use a CUDA 12.4 runtime base with Java 17 and Spark 4 (BASE_IMAGE).
ARG BASE_IMAGE=apache/spark:4.0.0-java17
FROM ${BASE_IMAGE}
ARG COEA_JAR=spark-jobs/target/coea-spark-jobs-0.1.0-SNAPSHOT.jar
USER root
RUN mkdir -p /opt/coea && chown spark:spark /opt/coea
COPY --chown=spark:spark ${COEA_JAR} /opt/coea/coea-spark-jobs.jar
COPY --chown=spark:spark deploy/spark/getGpusResources.sh /opt/coea/getGpusResources.sh
RUN chmod 0755 /opt/coea/getGpusResources.sh
# DJL must never download at run time; its natives unpack from the jar into this cache.
ENV DJL_CACHE_DIR=/tmp/djl-cache \
    RUST_FLAVOR=cpu
USER spark
