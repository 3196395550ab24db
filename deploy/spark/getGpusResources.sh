#!/usr/bin/env bash
# Spark GPU discovery script (spark.{driver,executor}.resource.gpu.discoveryScript): prints the
# GPUs this container sees as {"name": "gpu", "addresses": ["0", "1", ...]}, the format Spark's
# ResourceInformation expects. Same logic as Spark's examples/src/main/scripts/getGpusResources.sh.
set -euo pipefail
ADDRS=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n/","/g')
echo "{\"name\": \"gpu\", \"addresses\": [\"$ADDRS\"]}"
