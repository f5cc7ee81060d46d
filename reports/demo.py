"""Demo content of the workshop report: a closing section and a few chosen comments (only where anonymity allows)."""

from django.utils.translation import gettext as _

from . import selectors
from .models import ChosenComment, ClosingText, text_hash

CHOSEN = 4


def load(workshop):
    closing = _(
        "The five sessions brought together civil servants from across the Caribbean to build the capacities "
        "needed for innovation and digital government transformation in support of the 2030 Agenda.\n\n"
        "Country teams left the course with action plans linked to their national development priorities and the "
        "SDGs. The follow-ups at three, six and twelve months show how far they have come; this report is produced "
        "again after each of them."
    )
    ClosingText.objects.get_or_create(workshop=workshop, defaults={"text": closing})
    forms, texts = set(), set()
    for row in selectors.choosable_comments(workshop, selectors.scope_cohorts(workshop, None)):
        if len(forms) >= CHOSEN:
            break
        if row["form"].pk in forms or row["text"] in texts:
            continue  # one per form, each different
        forms.add(row["form"].pk)
        texts.add(row["text"])
        ChosenComment.objects.get_or_create(
            question_id=row["question_id"], text_hash=text_hash(row["text"]), defaults={"text": row["text"]}
        )
    return _("a closing section and %(count)d chosen comments") % {"count": len(forms)}
