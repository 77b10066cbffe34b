"""The background service: schedules, leases, child-process runs, health."""
