"""Loads CoEA DAG files against stub Airflow modules and prints every operator's
application_args as JSON (DeployFilesTest checks them against the CLI's options).

usage: python3 airflow_args.py DAG_DIR FILE.py [FILE.py ...]
"""

import importlib.util
import json
import os
import sys
import types

calls = []


class _Operator:
    def __init__(self, **kwargs):
        calls.append(kwargs)

    def __rshift__(self, other):
        return other

    def __rrshift__(self, other):
        return self


class DAG:
    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


class Variable:
    @staticmethod
    def get(key, default_var=None):
        return default_var


def _module(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    sys.modules[name] = m


_module("airflow", DAG=DAG)
_module("airflow.models", Variable=Variable)
for name in ["airflow.providers", "airflow.providers.apache", "airflow.providers.apache.spark",
             "airflow.providers.apache.spark.operators", "airflow.sensors"]:
    _module(name)
_module("airflow.providers.apache.spark.operators.spark_submit",
        SparkSubmitOperator=type("SparkSubmitOperator", (_Operator,), {}))
_module("airflow.sensors.external_task",
        ExternalTaskSensor=type("ExternalTaskSensor", (_Operator,), {}))

dag_dir = sys.argv[1]
sys.path.insert(0, dag_dir)
out = []
for f in sys.argv[2:]:
    del calls[:]
    spec = importlib.util.spec_from_file_location(f[:-3], os.path.join(dag_dir, f))
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    for c in calls:
        if "application_args" in c:
            out.append({"dag": f, "task": c["task_id"], "java_class": c.get("java_class"),
                        "args": c["application_args"]})
print(json.dumps(out))
