"""What performance tells the apps above it, which it must not import.

`focused_audit_proposed`: an alert rule proposed a focused audit. Sent inside the
proposal's transaction with keyword arguments `proposal` (the FocusedAuditProposal),
`organisation`, `proposed_by` (a StaffMember of that organisation), `title`, `question`
and `source_detail`. A receiver that takes the proposal on (the thematic review planner,
themes/apps.py) returns the URL of what it made; performance links the proposal to the
first URL returned.
"""

from django.dispatch import Signal

focused_audit_proposed = Signal()
