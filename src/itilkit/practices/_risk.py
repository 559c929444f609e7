"""Change risk: impact x likelihood -> risk, as a lookup matrix with presets.

A :class:`RiskMatrix` gives typed access to a
:class:`~itilkit.practices.LookupMatrix` whose rows are impact, columns
likelihood (of the change failing) and result risk, the neutral model the
survey recommends (ServiceNow's impact x success-probability lookup). When
several assessments exist (rules, a questionnaire, a person), the riskiest
wins (:meth:`RiskMatrix.riskiest`).

>>> assessment = RISK_3X3.assess("high", "low")
>>> assessment.risk, RISK_3X3.riskiest([assessment, RISK_3X3.assess("low", "low")]).risk
('moderate', 'moderate')
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from itilkit._repr import shown
from itilkit._validators import of_type, text
from itilkit.errors import InvalidInputError, InvalidTypeError
from itilkit.practices._matrix import LookupMatrix, Scale, ScaleDirection

__all__ = ["RISK_3X3", "RISK_5X5", "RiskAssessment", "RiskMatrix"]


@attrs.frozen
class RiskAssessment:
    """A risk read from a matrix: the impact and likelihood given, and the risk found.

    Levels are kept as the matrix's labels so the assessment reads on its own.
    """

    matrix: str = attrs.field(validator=text())
    impact: str = attrs.field(validator=text())
    likelihood: str = attrs.field(validator=text())
    risk: str = attrs.field(validator=text())


@attrs.frozen
class RiskMatrix:
    """Typed access to a lookup matrix of impact (rows) x likelihood (columns) -> risk."""

    table: LookupMatrix = attrs.field(validator=of_type(LookupMatrix))

    def assess(self, impact: int | str, likelihood: int | str) -> RiskAssessment:
        """The risk of a change with ``impact`` and ``likelihood`` (levels or labels)."""
        rows, columns, result = self.table.rows, self.table.columns, self.table.result
        impact_level, likelihood_level = rows.level(impact), columns.level(likelihood)
        risk = self.table.lookup(impact_level, likelihood_level)
        return RiskAssessment(
            self.table.name,
            rows.label(impact_level),
            columns.label(likelihood_level),
            result.label(risk),
        )

    def rank(self, assessment: RiskAssessment) -> int:
        """How high ``assessment``'s risk sits: 1 = lowest, whatever the scale's direction."""
        if not isinstance(assessment, RiskAssessment):
            raise InvalidTypeError("assessment", "a RiskAssessment", assessment)
        if assessment.matrix != self.table.name:
            raise InvalidInputError(
                f"assessment comes from matrix {shown(assessment.matrix)}, not "
                f"{shown(self.table.name)}"
            )
        return self.table.result.rank(assessment.risk)

    def riskiest(self, assessments: Iterable[RiskAssessment]) -> RiskAssessment:
        """The assessment with the highest risk (the first of equals): the riskiest wins."""
        if isinstance(assessments, str | bytes | bytearray) or not isinstance(
            assessments, Iterable
        ):
            raise InvalidTypeError("assessments", "a collection of RiskAssessment", assessments)
        listed = list(assessments)
        if not listed:
            raise InvalidInputError("riskiest needs at least one assessment")
        return max(listed, key=self.rank)


def _three_by_three() -> RiskMatrix:
    level = ("high", "medium", "low")
    risk = Scale("risk", ("high", "moderate", "low"))
    return RiskMatrix(
        LookupMatrix.from_rule(
            "risk-3x3",
            Scale("impact", level),
            Scale("likelihood", level),
            risk,
            lambda i, li: 1 if i + li <= 3 else 2 if i + li == 4 else 3,
        )
    )


def _five_by_five() -> RiskMatrix:
    up = ScaleDirection.ONE_IS_LOWEST
    impact = Scale("impact", ("negligible", "minor", "moderate", "major", "severe"), up)
    likelihood = Scale(
        "likelihood", ("rare", "unlikely", "possible", "likely", "almost certain"), up
    )
    risk = Scale("risk", ("low", "moderate", "high", "critical"), up)

    def score(i: int, li: int) -> int:
        product = i * li
        return 1 if product <= 4 else 2 if product <= 9 else 3 if product <= 16 else 4

    return RiskMatrix(LookupMatrix.from_rule("risk-5x5", impact, likelihood, risk, score))


#: 3x3, 1 = highest: high/medium/low impact and likelihood -> high/moderate/low risk.
RISK_3X3 = _three_by_three()
#: 5x5, 5 = highest: impact x likelihood scored by product -> low/moderate/high/critical.
RISK_5X5 = _five_by_five()
