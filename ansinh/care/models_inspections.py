"""Models of the inspections area of the care app (issue 14). Filled in by the area's work."""

__all__: list[str] = []
