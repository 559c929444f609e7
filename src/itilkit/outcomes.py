"""How a change and an SLA target ended: the outcome vocabulary shared by the layers.

The practices record these on entities, the SLA engine reports them per cycle
and the metrics count them; each enum is defined here once.
"""

from __future__ import annotations

from itilkit._enums import Vocabulary

__all__ = ["ChangeOutcome", "SlaOutcome"]


class ChangeOutcome(Vocabulary):
    """How a change ended; ``None`` on a record means not finished yet.

    The first four are implementation outcomes (what a review records);
    ``canceled`` and ``rejected`` mean it was never implemented.
    """

    SUCCESSFUL = "successful"
    SUCCESSFUL_WITH_ISSUES = "successful_with_issues"
    UNSUCCESSFUL = "unsuccessful"
    BACKED_OUT = "backed_out"
    CANCELED = "canceled"
    REJECTED = "rejected"


class SlaOutcome(Vocabulary):
    """The outcome of one SLA target on one record."""

    MET = "met"
    BREACHED = "breached"
    IN_PROGRESS = "in_progress"
    CANCELED = "canceled"
