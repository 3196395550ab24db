# The streaming image: Flink 2.2 plus the shaded flink-jobs jar in usrlib, where the Flink
# Kubernetes operator's application mode finds it (deploy/flink/flinkdeployment.yaml, jarURI
# local:///opt/flink/usrlib/coea-flink-jobs.jar). The jar holds the Kafka connector, the stores
# and the HBase shaded client; Flink and SLF4J come from the base image. Build it first:
#   mvn -B -pl flink-jobs -am package -DskipTests
#   docker build -f deploy/docker/flink-jobs.Dockerfile -t coea/flink-jobs:0.1.0 .
ARG BASE_IMAGE=flink:2.2-java17
FROM ${BASE_IMAGE}
ARG COEA_JAR=flink-jobs/target/coea-flink-jobs-0.1.0-SNAPSHOT.jar
# S3 checkpoints and savepoints (execution.checkpointing.dir: s3://...).
RUN mkdir -p /opt/flink/plugins/s3-fs-presto \
 && cp /opt/flink/opt/flink-s3-fs-presto-*.jar /opt/flink/plugins/s3-fs-presto/
COPY --chown=flink:flink ${COEA_JAR} /opt/flink/usrlib/coea-flink-jobs.jar
