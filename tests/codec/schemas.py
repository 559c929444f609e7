"""The JSON Schemas of the configuration kinds, as checked in under ``docs/schemas/``.

``python -m tests.codec.schemas`` rewrites them from the codec (the test
suite fails while the checked-in copies differ from what the codec generates).
"""

from __future__ import annotations

import json
from pathlib import Path

from itilkit import codec

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"
CONFIG_KINDS = [kind.name for kind in codec.KINDS if kind.config]


def text(kind: str) -> str:
    """The schema of ``kind`` as the checked-in file holds it."""
    return json.dumps(codec.json_schema(kind), indent=2) + "\n"


def main() -> None:
    """Write every configuration kind's schema to ``docs/schemas/<kind>.schema.json``."""
    SCHEMAS.mkdir(exist_ok=True)
    for kind in CONFIG_KINDS:
        (SCHEMAS / f"{kind}.schema.json").write_text(text(kind))


if __name__ == "__main__":
    main()
