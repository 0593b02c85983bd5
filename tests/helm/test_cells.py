"""Database cells in the chart (`postgres.cells`): every process and every migration Job is told each cell's address,
the NetworkPolicies let them reach it, and the schema refuses a cell it could not name in an environment variable."""

from __future__ import annotations

from typing import Any

import helm_python
import pytest

from tests.helm.conftest import Doc, named, of_kind, production_values, render

CELLS = {
    "postgres": {
        "cells": [{"name": "east", "host": "postgres-east-rw", "port": 5433}, {"name": "west", "host": "pg-w"}]
    }
}


@pytest.fixture(scope="module")
def cell_docs() -> list[Doc]:
    values = production_values()
    values["postgres"] = {**values["postgres"], **CELLS["postgres"]}
    return render(values)


def test_every_process_is_told_each_cells_address(cell_docs: list[Doc]) -> None:
    config = of_kind(cell_docs, "ConfigMap")[0]["data"]
    assert config["REDCELL_CELLS__east__HOST"] == "postgres-east-rw"
    assert config["REDCELL_CELLS__east__PORT"] == "5433"
    assert (config["REDCELL_CELLS__west__HOST"], config["REDCELL_CELLS__west__PORT"]) == ("pg-w", "5432")


def test_each_migration_job_migrates_every_cell(cell_docs: list[Doc]) -> None:
    jobs = [
        doc
        for doc in of_kind(cell_docs, "Job")
        if doc["spec"]["template"]["spec"]["containers"][0]["args"][0] == "migrate"
    ]
    assert jobs
    for job in jobs:
        env = {e["name"]: e.get("value") for e in job["spec"]["template"]["spec"]["containers"][0]["env"]}
        assert (env["REDCELL_CELLS__east__HOST"], env["REDCELL_CELLS__east__PORT"]) == ("postgres-east-rw", "5433")


def test_processes_with_a_database_may_reach_every_cells_port(cell_docs: list[Doc]) -> None:
    for component in ("dispatch-api", "dispatch-worker", "orgtree-relay", "scheduler"):
        egress = named(cell_docs, "NetworkPolicy", f"{component}-egress")["spec"]["egress"]
        ports = {port["port"] for rule in egress for port in rule["ports"]}
        assert {5432, 5433} <= ports, component


def test_without_cells_nothing_about_them_is_rendered(default_docs: list[Doc]) -> None:
    config = of_kind(default_docs, "ConfigMap")[0]["data"]
    assert not [key for key in config if key.startswith("REDCELL_CELLS__")]


@pytest.mark.parametrize(
    "cell",
    [
        {"name": "main", "host": "pg"},  # main is postgres.host itself
        {"name": "East-1", "host": "pg"},  # not an environment variable's part
        {"name": "east"},  # no host
    ],
)
def test_schema_refuses_a_cell_it_cannot_name_or_reach(cell: dict[str, Any]) -> None:
    with pytest.raises(helm_python.HelmValuesError) as refused:
        render({"postgres": {"cells": [cell]}}, validate=False)
    assert "/postgres/cells/0" in str(refused.value)
