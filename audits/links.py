"""The one-use link purpose for the family's part of a practice review
(core.registry.link_purposes, registered in apps.py): the form the family see, where
their answers go, and the page's title. No page it renders names the family or the case.
"""

from __future__ import annotations

from django.db import connection

from audits.forms.family_link import FamilyAnswersForm
from audits.models import FAMILY_LINK_PURPOSE, Audit
from audits.services import family_links as services
from cases.models import FamilyLink
from core.registry import LinkPurpose

TEMPLATE = "audits/public/family_part.html"


def _audit(link: FamilyLink) -> Audit | None:
    if link.target_id is None:
        return None
    return (
        Audit.objects.select_related("tool").filter(pk=link.target_id, case_id=link.case_id).first()
    )


def link_form(link: FamilyLink, data: object) -> FamilyAnswersForm:
    audit = _audit(link)
    if audit is None:
        return FamilyAnswersForm(data, sections=[], closed=services.CLOSED_SUBMITTED)

    def check() -> str:
        # Sent: ask again with the audit's row locked (the link's transaction is open),
        # so the answers are stored only if the part is still open when they are.
        return services.family_part_closed(audit_pk=audit.pk, lock=connection.in_atomic_block)

    return FamilyAnswersForm(
        data,
        sections=services.family_sections(audit),
        closed=services.family_part_closed(audit_pk=audit.pk),
        check=check,
    )


def link_save(link: FamilyLink, form: FamilyAnswersForm) -> None:
    services.family_answers_from_link(link=link, values=form.values())


def link_title(link: FamilyLink) -> str:
    if link.audience == FamilyLink.Audience.CHILD:
        return "Tell us what you think"
    return "Tell us about the help you have had"


PURPOSE = LinkPurpose(
    key=FAMILY_LINK_PURPOSE,
    label="Practice review: the family's part",
    form=link_form,
    save=link_save,
    template=TEMPLATE,
    title=link_title,
)
