"""Functions that change SDG choices, priorities and action plans.

Each raises ActionPlanRefused with a reason in words for the participant and then changes nothing.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common import timefmt
from participants.models import Participant
from preparation import selectors as preparation
from sessions_app.models import PreparationTask

from .models import (
    MAX_ACTIONS,
    MAX_PRIORITIES,
    Action,
    ActionPlan,
    ActionStatus,
    ActionUpdate,
    NdpPriority,
    SdgChoice,
)


class ActionPlanRefused(Exception):
    """A change that cannot be accepted; the message says why."""


# --------------------------------------------------------------------------- preparation: SDG and priorities


def _check_task_open(task: PreparationTask, participant: Participant, now) -> None:
    """The same window as a hand-in (preparation's one rule): late is accepted, after the group's session has
    ended nothing is."""
    window = preparation.work_window(task, participant, now)
    if window.refusal:
        raise ActionPlanRefused(window.refusal)


def choose_sdg(task: PreparationTask, participant: Participant, *, sdg, note: str, now=None) -> SdgChoice:
    """Record (or change) the participant's SDG and one-minute note for the task."""
    now = now or timezone.now()
    note = (note or "").strip()
    if sdg is None:
        raise ActionPlanRefused(_("Choose one of the 17 SDGs. Nothing was saved."))
    if not note:
        raise ActionPlanRefused(
            _("Write your one-minute note: how does public service delivery relate to this SDG? Nothing was saved.")
        )
    _check_task_open(task, participant, now)
    choice, _created = SdgChoice.objects.update_or_create(
        task=task, participant=participant, defaults={"sdg": sdg, "note": note}
    )
    return choice


def _check_priority_fields(title: str, sdgs, digital_contribution: str) -> None:
    if not (title or "").strip():
        raise ActionPlanRefused(_("Name the priority. Nothing was saved."))
    if not sdgs:
        raise ActionPlanRefused(_("Choose at least one SDG that this priority serves. Nothing was saved."))
    if not (digital_contribution or "").strip():
        raise ActionPlanRefused(
            _("Say how innovation and digital transformation can help achieve this priority. Nothing was saved.")
        )


def add_priority(
    task: PreparationTask, participant: Participant, *, title: str, sdgs, digital_contribution: str, now=None
) -> NdpPriority:
    """Add a priority to the participant's country team; a team has at most four."""
    now = now or timezone.now()
    _check_priority_fields(title, sdgs, digital_contribution)
    _check_task_open(task, participant, now)
    team = {"task": task, "cohort_id": participant.cohort_id, "country_id": participant.country_id}
    too_many = ActionPlanRefused(
        _(
            "Your team already has %(most)s priorities, the most this task asks for. Remove or change one "
            "of them instead. Nothing was saved."
        )
        % {"most": MAX_PRIORITIES}
    )
    try:
        with transaction.atomic():
            taken = set(NdpPriority.objects.select_for_update().filter(**team).values_list("position", flat=True))
            free = [n for n in range(1, MAX_PRIORITIES + 1) if n not in taken]
            if not free:
                raise too_many
            priority = NdpPriority.objects.create(
                **team,
                position=free[0],
                title=title.strip(),
                digital_contribution=digital_contribution.strip(),
                created_by=participant,
                updated_by=participant,
            )
            priority.sdgs.set(sdgs)
    except IntegrityError as exc:
        # A teammate added one at the same moment and took the last free position.
        raise too_many from exc
    return priority


def _check_team_priority(priority: NdpPriority, participant: Participant) -> None:
    if (priority.cohort_id, priority.country_id) != (participant.cohort_id, participant.country_id):
        raise ActionPlanRefused(_("This priority belongs to another team."))


def change_priority(
    priority: NdpPriority, participant: Participant, *, title: str, sdgs, digital_contribution: str, now=None
) -> NdpPriority:
    now = now or timezone.now()
    _check_team_priority(priority, participant)
    _check_priority_fields(title, sdgs, digital_contribution)
    _check_task_open(priority.task, participant, now)
    with transaction.atomic():
        priority.title = title.strip()
        priority.digital_contribution = digital_contribution.strip()
        priority.updated_by = participant
        priority.save(update_fields=["title", "digital_contribution", "updated_by", "updated_at"])
        priority.sdgs.set(sdgs)
    return priority


def remove_priority(priority: NdpPriority, participant: Participant, now=None) -> None:
    now = now or timezone.now()
    _check_team_priority(priority, participant)
    _check_task_open(priority.task, participant, now)
    used = priority.actions.count()
    if used:
        raise ActionPlanRefused(
            ngettext(
                "“%(title)s” is the priority of %(count)s action in your action plan. "
                "Choose another priority for it first; nothing was removed.",
                "“%(title)s” is the priority of %(count)s actions in your action plan. "
                "Choose another priority for them first; nothing was removed.",
                used,
            )
            % {"title": priority.title, "count": used}
        )
    priority.delete()


# --------------------------------------------------------------------------- the action plan

# What a "last changed" line names, in the order of the form; "sdgs" and "qualities" are the many-to-many ones.
# The names are stored in English (Action.last_change) and translated when shown (Action.last_change_display).
TRACKED_FIELDS = [
    ("title", "action"),
    ("dimension_id", "dimension"),
    ("sdgs", "SDGs"),
    ("priority_id", "NDP priority"),
    ("qualities", "public-service quality"),
    ("owner", "owner"),
    ("first_step", "first step"),
    ("time_frame", "time frame"),
    ("obstacles", "obstacles"),
    ("overcoming", "how to overcome them"),
    ("status", "status"),
    ("progress_note", "progress note"),
]
MANY = ("sdgs", "qualities")


def _state(action: Action, sdgs=None, qualities=None) -> dict:
    state = {name: getattr(action, name) for name, _ in TRACKED_FIELDS if name not in MANY}
    state["sdgs"] = {s.pk for s in sdgs} if sdgs is not None else set(action.sdgs.values_list("pk", flat=True))
    state["qualities"] = (
        {q.pk for q in qualities} if qualities is not None else set(action.qualities.values_list("pk", flat=True))
    )
    return state


def plan_for_team(cohort, country) -> ActionPlan:
    plan, _created = ActionPlan.objects.get_or_create(cohort=cohort, country=country)
    return plan


def _check_member(plan: ActionPlan, participant: Participant) -> None:
    if not participant.is_active or (participant.cohort_id, participant.country_id) != (
        plan.cohort_id,
        plan.country_id,
    ):
        raise ActionPlanRefused(_("Only the members of this country team can change its action plan."))


def _check_links(plan: ActionPlan, fields: dict) -> None:
    dimension = fields.get("dimension")
    if dimension is None:
        raise ActionPlanRefused(_("Name the DTCA dimension this action strengthens. Nothing was saved."))
    priority = fields.get("priority")
    if priority is not None and (priority.cohort_id, priority.country_id) != (plan.cohort_id, plan.country_id):
        raise ActionPlanRefused(_("Choose one of your own team's priorities. Nothing was saved."))
    if not (fields.get("title") or "").strip():
        raise ActionPlanRefused(_("Give the action a title. Nothing was saved."))


def _touch(plan: ActionPlan, participant: Participant, now) -> None:
    ActionPlan.objects.filter(pk=plan.pk).update(updated_at=now, updated_by=participant)
    plan.updated_at, plan.updated_by = now, participant


def _locked(action: Action, expected_version: int | None) -> Action:
    current = Action.objects.select_for_update().get(pk=action.pk)
    if expected_version is not None and current.version != expected_version:
        who = current.updated_by.user if current.updated_by is not None else _("someone")
        when = timefmt.moment_text(
            current.updated_at, action.plan.cohort.workshop, date="none", zone_label="abbreviation"
        )
        raise ActionPlanRefused(
            _(
                "%(who)s changed this action at %(when)s while you were editing it, so nothing was saved. "
                "The page now shows their version; your text is still in the form: check it and save again."
            )
            % {"who": who, "when": when}
        )
    return current


def add_action(plan: ActionPlan, participant: Participant, *, fields: dict, sdgs=(), qualities=(), now=None) -> Action:
    """Add an action to the team's plan. ``fields`` holds the Action's own fields (dimension required)."""
    now = now or timezone.now()
    _check_member(plan, participant)
    _check_links(plan, fields)
    if plan.pk and plan.actions.count() >= MAX_ACTIONS:
        raise ActionPlanRefused(
            _("A plan holds at most %(count)s actions. Merge or remove some before adding another. Nothing was saved.")
            % {"count": MAX_ACTIONS}
        )
    with transaction.atomic():
        action = Action(plan=plan, created_by=participant, updated_by=participant, last_change="added", **fields)
        action.full_clean(exclude=["plan"])
        action.save()
        action.sdgs.set(sdgs)
        action.qualities.set(qualities)
        if action.status != ActionStatus.NOT_STARTED or action.progress_note:
            ActionUpdate.objects.create(
                action=action, status=action.status, note=action.progress_note, by=participant, at=now
            )
        _touch(plan, participant, now)
    return action


def change_action(
    action: Action,
    participant: Participant,
    *,
    fields: dict,
    sdgs=(),
    qualities=(),
    expected_version: int | None = None,
    now=None,
) -> Action:
    """Save an edited action; refused when a teammate saved it since the form was opened."""
    now = now or timezone.now()
    plan = action.plan
    _check_member(plan, participant)
    _check_links(plan, fields)
    with transaction.atomic():
        current = _locked(action, expected_version)
        before = _state(current)
        for name, value in fields.items():
            setattr(current, name, value)
        after = _state(current, sdgs, qualities)
        changed = [label for name, label in TRACKED_FIELDS if after[name] != before[name]]
        if not changed:
            return current
        current.full_clean(exclude=["plan"])
        current.updated_by = participant
        current.version += 1
        current.last_change = ", ".join(changed)[:300]
        current.save()
        current.sdgs.set(sdgs)
        current.qualities.set(qualities)
        if current.status != before["status"] or current.progress_note != before["progress_note"]:
            ActionUpdate.objects.create(
                action=current,
                status=current.status,
                previous_status=before["status"],
                note=current.progress_note if current.progress_note != before["progress_note"] else "",
                by=participant,
                at=now,
            )
        _touch(plan, participant, now)
    return current


def record_progress(
    action: Action, participant: Participant, *, status: str, note: str, expected_version: int | None = None, now=None
) -> ActionUpdate:
    """The follow-up: an action's status now, and a note on its progress (kept in the action's history)."""
    now = now or timezone.now()
    plan = action.plan
    _check_member(plan, participant)
    if status not in ActionStatus.values:
        raise ActionPlanRefused(_("Choose the action's status. Nothing was saved."))
    note = (note or "").strip()
    with transaction.atomic():
        current = _locked(action, expected_version)
        if status == current.status and not note:
            raise ActionPlanRefused(
                _("The status is the same as before and the note is empty: say what has happened. Nothing was saved.")
            )
        update = ActionUpdate.objects.create(
            action=current, status=status, previous_status=current.status, note=note, by=participant, at=now
        )
        changed = ["status"] if status != current.status else []
        if note:
            changed.append("progress note")
            current.progress_note = note
        current.status = status
        current.updated_by = participant
        current.version += 1
        current.last_change = ", ".join(changed)
        current.save(update_fields=["status", "progress_note", "updated_by", "version", "last_change", "updated_at"])
        _touch(plan, participant, now)
    return update


def remove_action(action: Action, participant: Participant, now=None) -> None:
    now = now or timezone.now()
    plan = action.plan
    _check_member(plan, participant)
    with transaction.atomic():
        action.delete()
        _touch(plan, participant, now)
