from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..access import facilitated_occurrence_or_404
from ..forms import KeyMessagesForm
from ..models import KeyMessages
from ..services import key_messages as services


@login_required
def key_messages(request, pk):
    """At the end of an occurrence the facilitator records its key messages for the group."""
    occurrence = facilitated_occurrence_or_404(request, pk)
    record = KeyMessages.objects.filter(occurrence=occurrence).first()
    form = KeyMessagesForm(request.POST or None, initial={"text": record.text if record else ""})
    if request.method == "POST" and form.is_valid():
        saved = services.save_key_messages(occurrence, form.cleaned_data["text"], by=request.user)
        messages.success(
            request,
            _("Key messages saved: the group sees them on its session page.") if saved else _("Key messages removed."),
        )
        return redirect("live:key_messages", pk=occurrence.pk)
    context = {
        "occurrence": occurrence,
        "workshop": occurrence.session.workshop,
        "form": form,
        "record": record,
        "planned": occurrence.session.key_message_list,
    }
    return render(request, "live/key_messages.html", context)
