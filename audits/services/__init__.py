"""Writes of the audits app: tools, audits, and the scheduled jobs."""
