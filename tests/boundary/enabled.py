"""The modules the boundary test walks, each with the samples module of its package.

To enable a package: list its public modules here with a samples module
(``tests/boundary/samples/<package>.py`` defining ``SAMPLES``) that gives a
valid instance of every public class and the argument values its signatures
cannot give. The test then fails for every public name of the package that
lets anything but an ``ItilkitError`` escape, takes over a second, or has no
sample.
"""

from __future__ import annotations

ENABLED: dict[str, str] = {
    # the kernel
    "itilkit.errors": "tests.boundary.samples.kernel",
    "itilkit.clock": "tests.boundary.samples.kernel",
    "itilkit.categories": "tests.boundary.samples.kernel",
    "itilkit.outcomes": "tests.boundary.samples.kernel",
    "itilkit.typing": "tests.boundary.samples.kernel",
    "itilkit._time": "tests.boundary.samples.kernel",
    "itilkit._validators": "tests.boundary.samples.kernel",
    "itilkit._repr": "tests.boundary.samples.kernel",
    "itilkit._enums": "tests.boundary.samples.kernel",
    # packages
    "itilkit.lifecycle": "tests.boundary.samples.lifecycle",
    "itilkit.metrics": "tests.boundary.samples.metrics",
    "itilkit.sla": "tests.boundary.samples.sla",
    "itilkit.practices": "tests.boundary.samples.practices",
    "itilkit.conformance": "tests.boundary.samples.conformance",
    "itilkit.interop": "tests.boundary.samples.interop",
    "itilkit.codec": "tests.boundary.samples.codec",
    "itilkit.storage": "tests.boundary.samples.storage",
    "itilkit.storage.sqlalchemy": "tests.boundary.samples.storage",
    "itilkit.reports": "tests.boundary.samples.reports",
    "itilkit.cli": "tests.boundary.samples.cli",
    "itilkit.testing": "tests.boundary.samples.testing",
}
