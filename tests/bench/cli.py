"""The command line every bench section shares: ``python -m tests.bench.<section> [--quick] [--write FILE]``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any


def run_section(main_with: Callable[..., Any]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", type=Path, help="replace or append this section of the report")
    parser.add_argument("--quick", action="store_true", help="a smaller load, for trying the bench out")
    args = parser.parse_args()
    main_with(quick=args.quick, write=args.write)
