"""The archive: tables, engine and sessions, migrations and queries. Imports nothing of ours."""
