"""The cluster tests (make test-cluster): one cluster for the session,
started by deploy/cluster.sh in a state folder of its own and stopped at
the end. CLUSTER_REUSE=1 tests the cluster `make cluster` started instead
(CLUSTER_STATE, CLUSTER_PORT as there)."""

import os
import shutil
import tempfile

import pytest

from tests.cluster.helpers import Cluster


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/cluster/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.cluster)


@pytest.fixture(scope="session")
def cluster():
    port = int(os.environ.get("CLUSTER_PORT", "8400"))
    if os.environ.get("CLUSTER_REUSE"):
        default = os.path.join(tempfile.gettempdir(), "socialsite-cluster")
        yield Cluster(os.environ.get("CLUSTER_STATE", default), port)
        return
    state = tempfile.mkdtemp(prefix="socialsite-cluster-test-")
    running = Cluster(state, port)
    try:
        running.control("start")
        yield running
    finally:
        running.control("stop")
        if not os.environ.get("CLUSTER_KEEP"):
            shutil.rmtree(state, ignore_errors=True)
