"""Pages of the accounts app. The audit trail lives in `audit_views`."""

from __future__ import annotations

from .audit_views import audit_list

__all__ = ["audit_list"]
