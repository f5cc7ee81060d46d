"""Functions that change the programme."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from common.i18n import language_code

from .models import (
    AgendaItem,
    AgendaItemSpeaker,
    Cohort,
    FocalPoint,
    Organization,
    PreparationTask,
    Resource,
    Session,
    SessionOccurrence,
    Speaker,
    Workshop,
)
from .programme_file import (
    ProgrammeError,
    lines,
    local_datetime,
    minutes_between,
    parse_clock,
    parse_date,
    require,
)

WORKSHOP_TEXT_FIELDS = (
    "title",
    "subtitle",
    "background",
    "thematic_focus",
    "objectives_intro",
    "format",
    "target_audience",
    "expected_results",
    "platform",
    "language",
    "reference_timezone",
    "reference_timezone_label",
)


def _validated(instance, where: str, exclude=None, *, cross_checks=True):
    """Every field checked as the admin checks it; ``cross_checks=False`` leaves out rules that compare with
    other rows being imported in the same run (the group order is checked once the whole file is in)."""
    try:
        if cross_checks:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        else:
            instance.clean_fields(exclude=exclude)
    except ValidationError as exc:
        details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
        raise ProgrammeError(_("%(where)s: %(details)s") % {"where": where, "details": details}) from exc
    return instance


def _first_date(data: dict) -> date | None:
    dates = [
        parse_date(occ.get("date"), "occurrence")
        for session in data.get("sessions") or []
        for occ in session.get("occurrences") or []
    ]
    return min(dates) if dates else None


def import_programme(
    data: dict, *, slug: str | None = None, title: str | None = None, first_date: date | None = None
) -> Workshop:
    """Create or update a workshop from a programme document, all or nothing.

    Running it twice with the same document changes nothing. ``first_date`` moves
    every occurrence by the same number of days so that the earliest one falls on
    that date (clock times stay put in the reference zone).
    """
    try:
        with transaction.atomic():
            return _import_programme(data, slug=slug, title=title, first_date=first_date)
    except ProgrammeError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ProgrammeError(
            _("The file does not follow the programme format (%(kind)s: %(exc)s).")
            % {"kind": type(exc).__name__, "exc": exc}
        ) from exc


def _import_programme(data: dict, *, slug, title, first_date) -> Workshop:
    shift = timedelta(0)
    if first_date is not None:
        earliest = _first_date(data)
        if earliest is None:
            raise ProgrammeError(_("The programme has no occurrences to move."))
        shift = first_date - earliest

    organizations = _import_organizations(data.get("organizations") or [])
    workshop = _import_workshop(data["workshop"], organizations, slug=slug, title=title)
    cohorts = _import_cohorts(workshop, data.get("groups") or [])
    speakers = _import_speakers(data.get("speakers") or [], organizations)
    _import_focal_points(workshop, data.get("focal_points") or [], organizations)

    sessions_data = data.get("sessions") or []
    sessions = {}
    for index, session_data in enumerate(sessions_data):
        where = f"sessions[{index}]"
        number = int(require(session_data, "number", where))
        session = Session.objects.filter(workshop=workshop, number=number).first() or Session(
            workshop=workshop, number=number
        )
        session.title = require(session_data, "title", where)
        session.objectives = lines(session_data.get("objectives"))
        session.preparation_brief = lines(session_data.get("preparation_brief"))
        session.key_messages = lines(session_data.get("key_messages"))
        _validated(session, where)
        session.save()
        sessions[number] = session
    for index, session_data in enumerate(sessions_data):
        where = f"sessions[{index}] (Session {session_data['number']})"
        session = sessions[int(session_data["number"])]
        _import_occurrences(session, session_data, cohorts, shift, where)
        _import_agenda(session, session_data, speakers, organizations, where)
        _import_tasks(session, session_data.get("preparation") or [], sessions, where)
    stale_sessions = workshop.sessions.exclude(number__in=sessions)
    _delete(stale_sessions, "sessions that are no longer in the file")
    check_group_order(workshop)
    return workshop


def _delete(queryset, what: str):
    try:
        queryset.delete()
    except ProtectedError as exc:
        raise ProgrammeError(_("Cannot remove %(what)s: participants' work depends on them.") % {"what": what}) from exc


def _import_organizations(rows) -> dict[str, Organization]:
    found = {}
    for index, row in enumerate(rows):
        where = f"organizations[{index}]"
        short = require(row, "short_name", where)
        org = Organization.objects.filter(short_name=short).first() or Organization(short_name=short)
        org.name = row.get("name") or short
        org.url = row.get("url") or ""
        _validated(org, where)
        org.save()
        found[short] = org
    return found


def _organization(organizations, short_name, where) -> Organization:
    if short_name in organizations:
        return organizations[short_name]
    org = Organization.objects.filter(short_name=short_name).first()
    if org is None:
        raise ProgrammeError(
            _("%(where)s: unknown organization “%(short_name)s” (list it under `organizations`).")
            % {"where": where, "short_name": short_name}
        )
    organizations[short_name] = org
    return org


def _import_workshop(row, organizations, *, slug=None, title=None) -> Workshop:
    where = "workshop"
    slug = slug or require(row, "slug", where)
    defaults = {field: lines(row.get(field)) for field in WORKSHOP_TEXT_FIELDS if field in row}
    if "language" in defaults:  # "English" or "en"
        defaults["language"] = language_code(defaults["language"])
    defaults["objectives"] = lines(row.get("objectives"))
    defaults["key_features"] = lines(row.get("key_features"))
    if title:
        defaults["title"] = title
    require({"title": defaults.get("title")}, "title", where)
    workshop = Workshop.objects.filter(slug=slug).first() or Workshop(slug=slug)
    for field, value in defaults.items():
        setattr(workshop, field, value)
    _validated(workshop, where)
    workshop.save()
    workshop.organizers.set([_organization(organizations, short, where) for short in row.get("organizers") or []])
    return workshop


def _import_cohorts(workshop, rows) -> dict[str, Cohort]:
    cohorts = {}
    for index, row in enumerate(rows):
        where = f"groups[{index}]"
        name = require(row, "name", where)
        cohort = Cohort.objects.filter(workshop=workshop, name=name).first() or Cohort(workshop=workshop, name=name)
        cohort.capacity = int(row.get("capacity") or 20)
        cohort.seats_per_country = int(row.get("seats_per_country") or 2)
        cohort.meeting_link = row.get("meeting_link") or ""
        _validated(cohort, where)
        cohort.save()
        cohorts[name] = cohort
    return cohorts


def _import_speakers(rows, organizations) -> dict[str, Speaker]:
    speakers = {}
    for index, row in enumerate(rows):
        where = f"speakers[{index}]"
        key = require(row, "key", where)
        org_name = row.get("organization") or ""
        speaker = Speaker.objects.filter(key=key).first() or Speaker(key=key)
        speaker.honorific = row.get("honorific") or ""
        speaker.name = require(row, "name", where)
        speaker.position = row.get("position") or ""
        speaker.organization = _organization(organizations, org_name, where) if org_name else None
        speaker.email = row.get("email") or ""
        speaker.bio = lines(row.get("bio"))
        _validated(speaker, where)
        speaker.save()
        speakers[key] = speaker
    return speakers


def _import_focal_points(workshop, rows, organizations):
    workshop.focal_points.all().delete()
    for index, row in enumerate(rows):
        where = f"focal_points[{index}]"
        point = FocalPoint(
            workshop=workshop,
            organization=_organization(organizations, require(row, "organization", where), where),
            honorific=row.get("honorific") or "",
            name=require(row, "name", where),
            role=row.get("role") or "",
            email=row.get("email") or "",
            order=index,
        )
        _validated(point, where)
        point.save()


def _import_occurrences(session, session_data, cohorts, shift, where):
    tz = session.workshop.tz
    default_start = parse_clock(require(session_data, "start", where), f"{where}.start")
    default_end = parse_clock(require(session_data, "end", where), f"{where}.end")
    seen = []
    for index, row in enumerate(session_data.get("occurrences") or []):
        here = f"{where}.occurrences[{index}]"
        group_name = require(row, "group", here)
        if group_name not in cohorts:
            cohort = Cohort.objects.filter(workshop=session.workshop, name=group_name).first()
            if cohort is None:
                raise ProgrammeError(
                    _("%(where)s: unknown group “%(group_name)s” (list it under `groups`).")
                    % {"where": here, "group_name": group_name}
                )
            cohorts[group_name] = cohort
        day = parse_date(require(row, "date", here), f"{here}.date") + shift
        start = parse_clock(row.get("start") or default_start.strftime("%H:%M"), f"{here}.start")
        end = parse_clock(row.get("end") or default_end.strftime("%H:%M"), f"{here}.end")
        if minutes_between(start, end) <= 0:
            raise ProgrammeError(_("%(where)s: the session must end after it starts.") % {"where": here})
        cohort = cohorts[group_name]
        occurrence = SessionOccurrence.objects.filter(session=session, cohort=cohort).first() or SessionOccurrence(
            session=session, cohort=cohort
        )
        occurrence.starts_at = local_datetime(day, start, tz)
        occurrence.ends_at = local_datetime(day, end, tz)
        occurrence.meeting_link = row.get("meeting_link") or ""
        _validated(occurrence, here, cross_checks=False)
        occurrence.save()
        seen.append(cohorts[group_name].pk)
    _delete(
        session.occurrences.exclude(cohort_id__in=seen),
        _("occurrences of Session %(number)s") % {"number": session.number},
    )


def _import_agenda(session, session_data, speakers, organizations, where):
    start = parse_clock(session_data["start"], f"{where}.start")
    length = minutes_between(start, parse_clock(session_data["end"], f"{where}.end"))
    kept = []
    previous_end = 0
    for index, row in enumerate(session_data.get("agenda") or []):
        here = f"{where}.agenda[{index}]"
        offset = minutes_between(start, parse_clock(require(row, "time", here), f"{here}.time"))
        duration = int(require(row, "duration", here))
        if offset < 0:
            raise ProgrammeError(_("%(where)s: starts before the session does.") % {"where": here})
        if offset < previous_end:
            raise ProgrammeError(_("%(where)s: overlaps the item before it.") % {"where": here})
        if offset + duration > length:
            raise ProgrammeError(_("%(where)s: ends after the session does.") % {"where": here})
        previous_end = offset + duration
        item = AgendaItem.objects.filter(session=session, offset_minutes=offset).first() or AgendaItem(
            session=session, offset_minutes=offset
        )
        item.duration_minutes = duration
        item.section = row.get("section") or ""
        item.kind = row.get("kind") or AgendaItem.Kind.PRESENTATION
        item.title = require(row, "title", here)
        item.description = lines(row.get("description"))
        item.breakout_rooms = row.get("breakout_rooms") or None
        item.breakout_minutes = row.get("breakout_minutes") or None
        item.team_formation = row.get("team_formation") or ""
        _validated(item, here, exclude=["session"])
        item.save()
        kept.append(item.pk)
        item.speaker_roles.all().delete()
        for order, role_row in enumerate(row.get("speakers") or []):
            _add_speaker_role(item, role_row, order, speakers, organizations, f"{here}.speakers[{order}]")
    _delete(
        session.agenda_items.exclude(pk__in=kept), _("agenda items of Session %(number)s") % {"number": session.number}
    )


def _add_speaker_role(item, row, order, speakers, organizations, where):
    role = row.get("role") or AgendaItemSpeaker.Role.SPEAKER
    if role not in AgendaItemSpeaker.Role.values:
        raise ProgrammeError(
            _("%(where)s: role must be one of %(roles)s.")
            % {"where": where, "roles": ", ".join(AgendaItemSpeaker.Role.values)}
        )
    speaker = None
    if row.get("speaker"):
        key = row["speaker"]
        speaker = speakers.get(key) or Speaker.objects.filter(key=key).first()
        if speaker is None:
            raise ProgrammeError(
                _("%(where)s: unknown speaker “%(key)s” (list it under `speakers`).") % {"where": where, "key": key}
            )
    organization = _organization(organizations, row["organization"], where) if row.get("organization") else None
    if role == AgendaItemSpeaker.Role.SPEAKER and not (speaker or organization):
        raise ProgrammeError(_("%(where)s: a speaker row names a speaker or an organization.") % {"where": where})
    link = AgendaItemSpeaker(item=item, role=role, speaker=speaker, organization=organization, order=order)
    _validated(link, where)
    link.save()


def _import_tasks(session, rows, sessions, where):
    kept = []
    for index, row in enumerate(rows):
        here = f"{where}.preparation[{index}]"
        title = require(row, "title", here)
        task = PreparationTask.objects.filter(session=session, title=title).first() or PreparationTask(
            session=session, title=title
        )
        task.order = index
        task.instructions = lines(row.get("instructions"))
        task.kind = row.get("kind") or PreparationTask.Kind.READING
        task.performed_by = row.get("performed_by") or PreparationTask.PerformedBy.INDIVIDUAL
        task.deliverable = row.get("deliverable") or PreparationTask.Deliverable.NONE
        task.is_optional = bool(row.get("optional"))
        due = row.get("due") or {}
        due_number = due.get("session")
        if due_number is not None and int(due_number) not in sessions:
            raise ProgrammeError(
                _("%(where)s.due: there is no Session %(due_number)s.") % {"where": here, "due_number": due_number}
            )
        task.due_session = sessions[int(due_number)] if due_number is not None else None
        task.due_days_before = int(due.get("days_before") or 0)
        _validated(task, here, exclude=["session", "due_session"])
        task.save()
        kept.append(task.pk)
        task.resources.all().delete()
        for order, res in enumerate(row.get("resources") or []):
            resource = Resource(
                task=task,
                title=require(res, "title", f"{here}.resources[{order}]"),
                url=res.get("url") or "",
                pages=str(res.get("pages") or ""),
                order=order,
            )
            _validated(resource, f"{here}.resources[{order}]", exclude=["task"])
            resource.save()
    _delete(
        session.tasks.exclude(pk__in=kept), _("preparation tasks of Session %(number)s") % {"number": session.number}
    )


def check_group_order(workshop: Workshop) -> None:
    """Every group meets the sessions in number order, without overlaps."""
    occurrences = (
        SessionOccurrence.objects.filter(session__workshop=workshop)
        .select_related("session", "cohort")
        .order_by("cohort_id", "session__number")
    )
    previous = None
    for occurrence in occurrences:
        if previous and previous.cohort_id == occurrence.cohort_id and previous.ends_at > occurrence.starts_at:
            raise ProgrammeError(
                _(
                    "%(group)s: Session %(number)s starts before Session %(previous)s ends; a group meets the "
                    "sessions in order."
                )
                % {
                    "group": occurrence.cohort.name,
                    "number": occurrence.session.number,
                    "previous": previous.session.number,
                }
            )
        previous = occurrence


def copy_as_new_run(workshop: Workshop, *, slug: str, title: str, first_date: date) -> Workshop:
    """Copy a workshop's whole programme to a new workshop, every date moved to start on ``first_date``."""
    from .selectors import export_programme

    if Workshop.objects.filter(slug=slug).exists():
        raise ProgrammeError(_("A workshop with the address name “%(slug)s” already exists.") % {"slug": slug})
    return import_programme(export_programme(workshop), slug=slug, title=title, first_date=first_date)
