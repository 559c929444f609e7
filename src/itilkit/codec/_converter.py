"""The one converter: how every itilkit value becomes JSON-ready data and back."""

from __future__ import annotations

import cattrs

from itilkit.codec._calendar import configure_calendars
from itilkit.codec._catalog import Catalog
from itilkit.codec._entities import configure_entities
from itilkit.codec._lifecycle import configure_lifecycle
from itilkit.codec._matrix import configure_matrices
from itilkit.codec._metrics import configure_metrics
from itilkit.codec._policy import configure_policies
from itilkit.codec._practice import configure_practices
from itilkit.codec._schema import SchemaBook
from itilkit.codec._strict import Registrar, configure_strict
from itilkit.errors import InvalidTypeError
from itilkit.practices import DEFAULT_PRACTICES, PracticeRegistry

__all__ = ["configure", "configure_converter", "make_converter"]


def configure_converter(
    converter: cattrs.Converter,
    *,
    catalog: Catalog | None = None,
    practices: PracticeRegistry | None = None,
) -> None:
    """Configure ``converter`` for itilkit values, strictly.

    * Values are read strictly: a string, integer, number or boolean must be
      exactly that JSON type (no ``"false"`` for false, no ``7.9`` for 7, no
      boolean for a number); numbers are finite; arrays are arrays (a string
      is not a list of characters); a set's array lists each item once.
    * Objects refuse unknown keys; a key holding its default may be left
      out, and is left out when written.
    * Every problem is reported, each with its path, and a model's own
      validation (a constructor's error) is a problem at the object's path.
    * Datetimes are ISO 8601 with a UTC offset (``2024-05-01T09:30:00+01:00``,
      ``Z`` accepted); naive ones are refused both ways. An offset is not a
      zone: calendars keep their IANA zone name as a field of their own.
    * Dates are ``YYYY-MM-DD``.
    * Durations are written in ISO 8601 with hours, minutes and seconds only
      (``PT8H``, ``PT36H``, ``PT0.5S``, ``-PT1H``); read, they may also use
      days and weeks of 24 hours and 7 days (``P2D``, ``P1W``) or short units
      (``8h``, ``30m``, ``1h30m``, ``2d``, ``1.5h``). Months and years are
      refused: they have no fixed length.
    * Enums are written by value.
    * Conditions and duration selectors are tagged unions: the object's
      ``"type"`` names the kind with a stable tag.
    * Values typed ``object`` (a condition's field values, a record's field
      changes on their own) are JSON scalars; inside an entity's history a
      change is typed by the field it changes.
    * Shifts, weeks, holidays and matrices have forms written for people (see
      ``docs/codec.md``); levels (impact, urgency, priority) are numbers.
    * An entity names its practice by name and version, resolved in
      ``practices`` when read; reading an entity checks its invariants (its
      history replays to its state under that practice).
    * A union of enums (a resolution's code) is read by value; the enums'
      values never overlap.
    * A practice is read from a derivation of a base practice in
      ``practices`` (by name and version), or from its rules in full; it is
      written as its rules, its guards named by the registered practice whose
      guard callables it uses (``guards_from``).

    ``catalog`` names the lifecycles and matrices a configuration may refer
    to (the presets by default); ``practices`` holds the practices stored
    entities may name (:data:`~itilkit.practices.DEFAULT_PRACTICES` by default).

    .. versionadded:: 0.2
    """
    if not isinstance(converter, cattrs.Converter):
        raise InvalidTypeError("converter", "a cattrs.Converter", converter)
    if catalog is not None and not isinstance(catalog, Catalog):
        raise InvalidTypeError("catalog", "a Catalog or None", catalog)
    if practices is not None and not isinstance(practices, PracticeRegistry):
        raise InvalidTypeError("practices", "a PracticeRegistry or None", practices)
    configure(converter, catalog or Catalog.default(), practices or DEFAULT_PRACTICES)


def configure(
    converter: cattrs.Converter, catalog: Catalog, practices: PracticeRegistry = DEFAULT_PRACTICES
) -> SchemaBook:
    """Configure ``converter`` and return the JSON Schema knowledge of its hooks."""
    registrar = Registrar(converter, SchemaBook())
    configure_strict(registrar)
    configure_lifecycle(registrar, catalog)
    configure_matrices(registrar)
    configure_calendars(registrar)
    configure_policies(registrar, catalog)
    configure_metrics(registrar)
    configure_entities(registrar, practices)
    configure_practices(registrar, catalog, practices)
    return registrar.schemas


def make_converter(
    *,
    catalog: Catalog | None = None,
    practices: PracticeRegistry | None = None,
    detailed_validation: bool = True,
) -> cattrs.Converter:
    """A new converter configured by :func:`configure_converter`.

    With ``detailed_validation=False`` a failure raises the first error
    without paths, and decoding is faster; :class:`~itilkit.codec.Codec` keeps
    one of each and uses the detailed one only to describe a failure.

    .. versionadded:: 0.2
    """
    if type(detailed_validation) is not bool:
        raise InvalidTypeError("detailed_validation", "a bool", detailed_validation)
    converter = cattrs.Converter(detailed_validation=detailed_validation, forbid_extra_keys=True)
    configure_converter(converter, catalog=catalog, practices=practices)
    return converter
