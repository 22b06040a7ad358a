"""Forms for the audits app, one module per area (tools.py: the QA manager's tool builder)."""
