from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import services
from .access import facilitated_cohort_or_404
from .forms import OneOffMessageForm


@login_required
def one_off_message(request, cohort_pk):
    cohort = facilitated_cohort_or_404(request, cohort_pk)
    form = OneOffMessageForm(request.POST or None, workshop=cohort.workshop)
    if request.method == "POST" and form.is_valid():
        message, count = services.create_one_off_message(cohort=cohort, sent_by=request.user, **form.cleaned_data)
        if count:
            messages.success(
                request,
                ngettext(
                    "“%(subject)s” is on its way to %(count)s participant of %(group)s.",
                    "“%(subject)s” is on its way to %(count)s participants of %(group)s.",
                    count,
                )
                % {"subject": message.subject, "count": count, "group": cohort.name},
            )
        else:
            messages.info(
                request,
                _("Everyone in %(group)s has done “%(task)s”: nobody to write to.")
                % {"group": cohort.name, "task": message.task.title},
            )
        return redirect("reminders:one_off", cohort_pk=cohort.pk)
    return render(request, "reminders/one_off.html", {"cohort": cohort, "form": form})
