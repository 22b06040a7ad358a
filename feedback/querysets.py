"""Who may see which feedback records: built on the scoping in cases/querysets.py.

One section per kind of record (see feedback/models/__init__.py). Every queryset is an
`OrganisationQuerySet` or a `CaseScopedQuerySet`, whose `visible_to(user)` is the only way
the views and selectors reach the rows.
"""

from __future__ import annotations
