"""The change risk matrix (impact x likelihood -> risk) and a change's risk field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from itilkit.errors import InvalidInputError, InvalidMatrixError, TransitionNotAllowedError
from itilkit.practices import (
    CHANGE,
    RISK_3X3,
    RISK_5X5,
    Change,
    LookupMatrix,
    RiskAssessment,
    RiskMatrix,
    Scale,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_the_3x3_preset_cell_by_cell() -> None:
    """Every cell of the 3x3 preset, read by labels (impact rows, likelihood columns)."""
    expected = {
        "high": ["high", "high", "moderate"],
        "medium": ["high", "moderate", "low"],
        "low": ["moderate", "low", "low"],
    }
    for impact, row in expected.items():
        got = [RISK_3X3.assess(impact, lk).risk for lk in ("high", "medium", "low")]
        assert got == row


@pytest.mark.parametrize(
    ("impact", "likelihood", "risk"),
    [
        ("negligible", "almost certain", "moderate"),
        ("minor", "likely", "moderate"),
        ("moderate", "possible", "moderate"),
        ("major", "likely", "high"),
        ("severe", "likely", "critical"),
        ("severe", "rare", "moderate"),
        ("minor", "unlikely", "low"),
    ],
)
def test_the_5x5_preset_scores_by_product(impact: str, likelihood: str, risk: str) -> None:
    """5x5: impact x likelihood product bands <=4, <=9, <=16, above."""
    assert RISK_5X5.assess(impact, likelihood).risk == risk


@pytest.mark.parametrize("matrix", [RISK_3X3, RISK_5X5], ids=["3x3", "5x5"])
def test_presets_never_lower_risk_when_impact_or_likelihood_rise(matrix: RiskMatrix) -> None:
    """Raising impact or likelihood never lowers the risk, whatever the scale direction."""
    assert matrix.table.monotonicity_problems() == ()


def test_assess_accepts_levels_or_labels_and_names_the_matrix() -> None:
    """Levels and labels (any case) give the same labelled assessment."""
    assert RISK_3X3.assess(1, 3) == RISK_3X3.assess("HIGH", "Low")
    assert RISK_3X3.assess(1, 3) == RiskAssessment("risk-3x3", "high", "low", "moderate")
    with pytest.raises(InvalidInputError, match="not a level of impact"):
        RISK_3X3.assess("catastrophic", "low")


def test_the_riskiest_assessment_wins() -> None:
    """Several assessments of one change: the highest risk is kept, by rank not by label."""
    low = RISK_5X5.assess("minor", "rare")
    critical = RISK_5X5.assess("severe", "almost certain")
    high = RISK_5X5.assess("major", "likely")
    assert RISK_5X5.riskiest([low, critical, high]) is critical
    with pytest.raises(InvalidInputError, match="at least one"):
        RISK_5X5.riskiest([])
    with pytest.raises(InvalidInputError, match="from matrix 'risk-3x3', not 'risk-5x5'"):
        RISK_5X5.riskiest([RISK_3X3.assess("high", "high")])


def test_a_bad_risk_grid_is_refused_with_every_problem() -> None:
    """A custom risk matrix is validated by the lookup matrix."""
    level = Scale("level", ("high", "low"))
    with pytest.raises(InvalidMatrixError) as invalid:
        RiskMatrix(LookupMatrix("custom-risk", level, level, level, [[1, 3], [2]]))
    assert len(invalid.value.problems) == 2


def test_a_change_records_its_risk_while_new() -> None:
    """The risk is set by revise (recorded in the history), like the rest of the plan."""
    change = Change.submit(
        CHANGE,
        id="CHG9",
        title="Patch the firewall",
        change_type="emergency",
        requested_by="req",
        at=T0,
    )
    assessed = change.revise(at=T0, actor="req", risk=RISK_3X3.assess("high", "medium"))
    assert assessed.risk is not None
    assert assessed.risk.risk == "high"
    recorded = assessed.history[-1].changed("risk")
    assert recorded is not None
    assert recorded.old is None
    canceled = assessed.cancel("duplicate", at=T0, actor="req", duplicate_of="CHG8")
    with pytest.raises(TransitionNotAllowedError):
        canceled.revise(at=T0, actor="req", risk=RISK_3X3.assess("low", "low"))
    with pytest.raises(InvalidInputError, match="risk must be RiskAssessment"):
        change.revise(at=T0, actor="req", risk="high")
