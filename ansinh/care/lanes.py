"""The three areas of the care app (issue 14 items 2–4), each in modules of its own:

- `facilities`: care facilities (social protection centres, social work centres) and drug
  rehabilitation facilities, their residents, admissions, discharges and monthly occupancy;
- `children`: children in special circumstances (Law on Children Art. 10), their support and case
  notes, and the yearly child-friendly assessment of communes (Decision 06/QĐ-TTg);
- `inspections`: inspection plans and inspections, citizen reception, complaints and denunciations.

An area's modules are named `<kind>_<area>.py` (`models_children.py`, `urls_children.py`,
`indicators_children.py`, `cli_children.py`, `demo_children.py`, …); the app's shared modules
find them with `parts(kind)`, so an area not built yet is simply absent.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

AREAS = ("facilities", "children", "inspections")


def parts(kind: str) -> list[ModuleType]:
    """The modules `ansinh.care.<kind>_<area>` that exist, imported, in the order of AREAS."""
    out = []
    for area in AREAS:
        name = f"ansinh.care.{kind}_{area}"
        if importlib.util.find_spec(name) is not None:
            out.append(importlib.import_module(name))
    return out
