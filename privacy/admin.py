from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from participants.models import User

from . import services
from .models import Erasure


@admin.action(description=gettext_lazy("Erase the selected people (keeps anonymous and group data)"))
def erase_people(modeladmin, request, queryset):
    """Asks first (a page listing who goes and what is kept); erases only when that page is confirmed."""
    if not request.user.has_perm("participants.delete_user"):
        messages.error(request, _("You may not erase people."))
        return None
    people = list(queryset.order_by("pk"))
    if request.POST.get("confirm") == "yes":
        erased = 0
        for person in people:
            label = str(person)
            try:
                services.erase_person(person, by=request.user)
            except services.ErasureRefused as exc:
                messages.error(request, _("%(person)s: %(problem)s") % {"person": label, "problem": exc})
            else:
                erased += 1
        if erased:
            messages.success(
                request,
                ngettext("%(count)d person erased.", "%(count)d people erased.", erased) % {"count": erased},
            )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Erase people"),
        "people": people,
        "opts": modeladmin.model._meta,
        "action_name": "erase_people",
        "selected": [person.pk for person in people],
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "privacy/admin/erase_confirmation.html", context)


# Added to the account admin the participants app registers, without editing it.
_user_admin = admin.site._registry.get(User)
if _user_admin is not None:
    _user_admin.actions = [*(_user_admin.actions or []), erase_people]


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    list_display = ["erased_at", "reason", "erased_by", "participations", "files_deleted"]
    list_filter = ["reason"]
    readonly_fields = ["erased_at", "erased_by", "reason", "participations", "files_deleted"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
