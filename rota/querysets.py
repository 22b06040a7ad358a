"""Who may see which rotas and slots: built on the scoping in cases/querysets.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.querysets import OrganisationQuerySet

if TYPE_CHECKING:
    from rota.models import Rota, RotaSlot  # noqa: F401


class RotaQuerySet(OrganisationQuerySet["Rota"]):
    """The rotas of the reader's organisation, for people who read the rota."""

    permission = "rota.view_rota"


class RotaSlotQuerySet(OrganisationQuerySet["RotaSlot"]):
    """The slots of the reader's organisation, for people who read the rota."""

    permission = "rota.view_rota"
