"""The record Protocols: what each family of measures reads.

Measures read fields by name, so any object with these attributes (itilkit
entities among them), or any mapping with these keys, works; a
:class:`FieldMap` renames them for other column names. The Protocols live in
:mod:`itilkit.typing`, where hosts annotate with them.
"""

from __future__ import annotations

from itilkit.typing import ChangeRecord, DeploymentRecord, FailureRecord, IncidentRecord

__all__ = ["ChangeRecord", "DeploymentRecord", "FailureRecord", "IncidentRecord"]
