"""The care app's models, one module per area (see `lanes.py`); Django finds them through these
imports."""

from .models_facilities import *  # noqa: F403
from .models_children import *  # noqa: F403
from .models_inspections import *  # noqa: F403
