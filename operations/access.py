"""Who reaches the operations endpoints (the only place these rules are written).

- The health and readiness checks are open to everyone (the load balancer and the container runtime ask them);
  they answer "ok"/"fail" per check and never show data.
- Backups and restores are run from the command line by operators; no page changes anything here.
"""

from __future__ import annotations

from common.access import Viewer


def can_edit(viewer: Viewer, obj) -> bool:
    """Nothing of operations is changed through the portal's pages."""
    return False
