"""Generated requests against the OpenAPI schema: whatever a client sends, never a 5xx."""

from __future__ import annotations

import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from api.app import create_app
from api.service import Service
from index.settings import Settings
from ingest.pipeline import IngestOptions, run_ingest
from tests.support import CORPUS

EXAMPLES = 25  # per operation; enough to reach the validation edges without slowing CI much


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(CORPUS, root / "corpus")
    config = Settings(data_dir=root / "data", embedder="fake", api_key="fuzz-key", max_file_mb=0.2)
    service = Service.open(config)
    run_ingest(service.index.record, [root / "corpus"], IngestOptions())
    service.index.sync()
    app = create_app(config, service)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_no_server_errors(api_schema: schemathesis.BaseSchema) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8
    calls = 0
    for operation in operations:
        # Writes carry the key, so generated uploads, deletes and overrides reach their handlers.
        headers = {"X-API-Key": "fuzz-key"} if operation.method.upper() in ("POST", "PUT", "DELETE") else {}

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
        )
        def check(case: schemathesis.Case) -> None:
            nonlocal calls
            calls += 1
            case.call_and_validate(headers=headers, checks=[not_a_server_error])  # noqa: B023 (run at once)

        check()
    assert calls >= 5 * len(operations)
