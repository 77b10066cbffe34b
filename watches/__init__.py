"""Watches: saved questions matched against each newly stored article once, notified through
apprise from a durable outbox, and published as Atom feeds. Imports archive only."""
