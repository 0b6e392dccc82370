"""People ahead and estimated wait for a new ticket.

eta_minutes = ceil(ahead * T / k / 60), where
- ahead: waiting tickets of the service that will be called before this one (see
  services.queue_views.people_ahead: everyone earlier for a normal ticket, earlier priority
  tickets for a priority ticket);
- T: the median service time (start -> complete) of the service's last 50 completed tickets, or
  the service's configured default while fewer than MIN_SAMPLES have been served;
- k: open, not paused windows serving the service (at least 1, so a closed service still gets an
  estimate for when a window opens).
The median, not the mean: one two-hour complicated case must not tell everyone to go home.
Windows that serve several services are counted fully for each; the estimate is optimistic
there, which the ticket's wording ("约") allows.
"""

from __future__ import annotations

import math
from statistics import median

# How many of a service's latest completed visits the estimate looks at.
RECENT_SERVICE_SAMPLE = 50

MIN_SAMPLES = 5


def typical_service_seconds(recent: list[int], default_s: int) -> float:
    """The service time to plan with: median of recent ones, or the configured default."""
    if len(recent) < MIN_SAMPLES:
        return float(default_s)
    return float(median(recent))


def estimate_wait_minutes(ahead: int, per_ticket_s: float, open_windows: int) -> int:
    """Whole minutes until this ticket is called (0 when nobody is ahead)."""
    if ahead <= 0:
        return 0
    k = max(1, open_windows)
    return math.ceil(ahead * per_ticket_s / k / 60)
