"""Demo content for the Caribbean workshop (called by ``load_demo`` after the DTCA demo).

Links the programme's Session 1 and Session 3 tasks to their structured forms, then gives most participants
an SDG choice, most country teams their National Development Plan priorities and several teams an action
plan built on their weakest DTCA dimensions. Once the course is over, the plans have been followed up: some
actions started, some done, some stalled, noted at the follow-up moments already passed. Choices come from
seeded generators, so every load gives the same content; running it again changes nothing.

Jamaica in Group A (participant@demo.test's team) has a partly filled plan to continue.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments.selectors import weakest_dimensions
from participants.models import Participant
from sessions_app.models import PreparationTask, SessionOccurrence

from . import selectors
from .models import (
    Action,
    ActionPlan,
    ActionPlanSettings,
    ActionStatus,
    ActionUpdate,
    NdpPriority,
    Sdg,
    SdgChoice,
    ServiceQuality,
    StructuredTask,
    TimeFrame,
)
from .reference import load_reference_data

DEMO_PARTICIPANT = "participant@demo.test"
# The Caribbean programme's tasks, by session and the start of their title.
LINKS = [
    (1, "Prepare a 1-minute presentation on how public service delivery relates to one SDG", "sdg_choice"),
    (1, "Read the Principles of Effective Governance", "governance_principles"),
    (3, "Create TWO PowerPoint slides on up to 4 National Development Plan priorities", "ndp_priorities"),
]
NO_SDG_YET = {"ricardo.isaac@vc.demo.test", "nigel.outram@ms.demo.test", "everton.marshall@ht.demo.test"}
NO_PRIORITIES = {("Group A", "VC"), ("Group B", "MS")}
# Country teams with an action plan; Jamaica in Group A has a partly filled one.
PLANS = {
    "Group A": ["BS", "DM", "GY", "JM", "TT", "KN"],
    "Group B": ["BB", "GD", "KY", "LC", "SR", "AG"],
}
# Teams that have not updated their plan since the latest follow-up moment (the board shows them).
LATE_UPDATERS = {("Group A", "KN"), ("Group B", "AG"), ("Group B", "SR")}

SDG_WEIGHTS = {16: 9, 9: 7, 3: 6, 4: 6, 8: 5, 10: 4, 5: 3, 1: 3, 11: 2, 13: 3, 17: 2, 6: 1, 14: 1}
SDG_NOTES = {
    1: "Social protection only reaches the poor if they can apply for it. Our cash-transfer programme still "
    "needs three visits to an office; an online application with one registry check would put the benefit "
    "in people's hands in days, not months.",
    3: "Health is the service every citizen meets. Appointment booking, electronic health records shared "
    "between clinics and the national hospital, and telemedicine for the out-islands are public service "
    "delivery in its most direct form.",
    4: "Schools are a public service too. Learning platforms, school registration online and data on who "
    "drops out let the ministry reach every child, as the pandemic showed when classes moved online overnight.",
    5: "Women run most of our small businesses and carry most care duties. Services they can use from home, "
    "at any hour, and data broken down by sex show whether public services serve women as well as men.",
    6: "Water is delivered by a public utility. Smart meters, online billing and reporting of leaks by phone "
    "improve both the service and the management of a scarce resource on small islands.",
    8: "Starting a business still takes weeks of forms and queues. A single window for licences, tax and "
    "social security registration would save entrepreneurs time and bring informal workers into the system.",
    9: "Infrastructure is not only roads: a shared government network, a payment gateway and digital ID are "
    "the infrastructure on which every other public service is built.",
    10: "Inequality shows in who can use a service. If e-services assume a smartphone, a bank card and a "
    "good connection, we leave behind rural citizens, older people and persons with disabilities.",
    11: "Building permits, land titles and property tax are municipal services that shape our towns. "
    "Putting them online with clear timelines reduces informal building in risky places.",
    13: "Public services must keep running through hurricanes. Data in the cloud, early-warning messages by "
    "SMS and online relief applications are how service delivery adapts to the climate.",
    14: "Fisheries licences and reporting of catches are public services that protect the ocean we live from; "
    "moving them to mobile phones improves both compliance and the data for management.",
    16: "Effective, accountable and inclusive institutions are what public service delivery is. Open data on "
    "budgets and services, online complaints and tracking of requests build trust in the institutions.",
    17: "No small island state can build everything alone. Regional shared services, common standards and "
    "partnerships with development partners make digital public services affordable for all of us.",
}

PRIORITY_POOL = [
    (
        "Universal access to quality health care",
        [3, 10],
        "Electronic health records shared between clinics and hospitals, online appointments and telemedicine "
        "for rural communities and the out-islands.",
    ),
    (
        "Climate resilience and disaster risk management",
        [13, 11],
        "Early-warning messages by SMS, geospatial data on risk zones and government systems in the cloud so "
        "that services continue after a hurricane.",
    ),
    (
        "A competitive economy and ease of doing business",
        [8, 9],
        "A single window for company registration, licences and tax; online payments; fewer documents asked "
        "again from businesses.",
    ),
    (
        "Quality education and digital skills for all",
        [4],
        "Learning platforms, devices for students, and digital skills in the curriculum and for public officers.",
    ),
    (
        "Citizen security and access to justice",
        [16],
        "Case management for the courts, online police reports and open data on crime to target prevention.",
    ),
    (
        "Social protection for the most vulnerable",
        [1, 10, 5],
        "One social registry linking programmes, online applications and payments to bank or mobile accounts.",
    ),
    (
        "Food security and a modern agricultural sector",
        [2, 12],
        "Farmer registry, market price information by phone and e-permits for imports and exports.",
    ),
    (
        "Renewable energy transition",
        [7, 13],
        "Smart meters, online net-metering applications and data on energy use in public buildings.",
    ),
    (
        "An efficient, accountable public service",
        [16, 17],
        "Digital ID, interoperable government systems and open data on budgets and service performance.",
    ),
    (
        "Sustainable tourism and the blue economy",
        [8, 14],
        "Online visitor registration, e-permits for marine activities and data to manage protected areas.",
    ),
]
JAMAICA_PRIORITIES = [
    (
        "A secure, cohesive and just society",
        [16],
        "Case management in the courts, online police records and a national ID that lets citizens prove who "
        "they are without queues.",
    ),
    (
        "A prosperous economy driven by ease of doing business",
        [8, 9],
        "A business single window, online payments for every government fee and fewer documents asked again.",
    ),
    (
        "World-class education and a healthy population",
        [3, 4],
        "Shared electronic health records and digital learning, with devices and connectivity for rural schools.",
    ),
]

ACTION_POOL = {
    "Leadership": [
        (
            "Appoint a chief digital officer with a cabinet mandate",
            "Office of the Prime Minister",
            "Draft the terms of reference and submit them to Cabinet.",
            "Changes of government and competing priorities can stall the appointment.",
            "Present the post as part of the public sector reform programme with cross-party support.",
            ["quality", "responsiveness"],
        ),
        (
            "Create a digital transformation steering committee of permanent secretaries",
            "Cabinet Office",
            "Invite the permanent secretaries to a first meeting chaired by the Cabinet Secretary.",
            "Meetings lose momentum when senior officials delegate attendance.",
            "Quarterly meetings with a dashboard of three visible results each time.",
            ["quality"],
        ),
    ],
    "Strategy": [
        (
            "Adopt a national digital transformation strategy linked to the NDP",
            "Ministry of Economic Development",
            "Map existing ICT projects against the National Development Plan priorities.",
            "Strategies written by consultants are not owned by the ministries.",
            "Write it with ministries in design-thinking workshops; publish a short, costed action list.",
            ["people-orientation", "inclusiveness"],
        ),
        (
            "Publish a list of the 20 most used services and a plan to put them online",
            "E-Government Unit",
            "Collect transaction volumes from the ten biggest ministries.",
            "Ministries do not measure how many people use their services.",
            "Start with estimates from counter staff and improve the data as services move online.",
            ["people-orientation", "responsiveness"],
        ),
    ],
    "Governance": [
        (
            "Set common standards for data exchange between ministries",
            "Ministry of Public Service",
            "Agree a data-sharing protocol between Inland Revenue and the civil registry.",
            "Each agency guards its data and its systems.",
            "Begin with one high-value exchange, show the time saved for citizens, then extend it.",
            ["quality", "affordability"],
        ),
        (
            "Set up a government-wide service design unit",
            "Department of Public Administration",
            "Second two officers from ministries and train them in service design.",
            "No budget line for a new unit this year.",
            "Start as a virtual team of secondees; seek support from a regional development partner.",
            ["people-orientation", "inclusiveness"],
        ),
    ],
    "Legal": [
        (
            "Pass the Electronic Transactions (Amendment) Bill",
            "Attorney General's Chambers",
            "Send the drafting instructions to the Chief Parliamentary Counsel.",
            "A long queue of bills before Parliament.",
            "Ask the Minister to list it as a priority bill in the legislative agenda.",
            ["quality", "affordability"],
        ),
        (
            "Bring the Data Protection Act into force with a commissioner",
            "Ministry of Justice",
            "Prepare the commencement order and the commissioner's job description.",
            "Few people in the region have data protection expertise.",
            "Regional training with neighbouring commissioners and a shared pool of experts.",
            ["inclusiveness", "quality"],
        ),
    ],
    "Technology": [
        (
            "Open online birth and death certificate requests with electronic payment",
            "Registrar General's Department",
            "Digitise the index of registers from 1990 onwards.",
            "Old paper registers and limited connectivity in district offices.",
            "Digitise by priority of demand; keep a counter service for those without internet.",
            ["responsiveness", "affordability", "people-orientation"],
        ),
        (
            "Introduce a government payment gateway for all fees",
            "Ministry of Finance",
            "Agree the requirements with the Accountant General and two pilot agencies.",
            "Banks charge high fees and many citizens have no card.",
            "Negotiate a government rate; accept mobile money and payments at post offices.",
            ["affordability", "inclusiveness"],
        ),
    ],
    "Professional and Workforce Development": [
        (
            "Train 200 public officers in digital skills and service design",
            "Public Service Training Institute",
            "Select the first cohort of 40 officers from front-line services.",
            "Officers cannot leave their desks for long courses.",
            "Short online modules with a certificate that counts for promotion.",
            ["quality", "people-orientation"],
        ),
        (
            "Create a network of digital champions in every ministry",
            "Ministry of Public Service",
            "Ask each permanent secretary to nominate one champion.",
            "Champions may be seen as extra work without reward.",
            "Recognise them in performance appraisal and give them time for the role.",
            ["responsiveness", "quality"],
        ),
    ],
}
NEXT_STATUS_WEIGHTS = {
    ActionStatus.NOT_STARTED: [4, 5, 0, 1],
    ActionStatus.STARTED: [0, 6, 2, 2],
    ActionStatus.STALLED: [0, 2, 1, 4],
}
PROGRESS_NOTES = {
    ActionStatus.STARTED: [
        "Terms of reference drafted and shared with the permanent secretary.",
        "A first meeting held; a working group of four ministries set up.",
        "Budget approved in the estimates; procurement under way.",
        "Pilot running in one district office since last month.",
    ],
    ActionStatus.DONE: [
        "Completed and announced by the Minister; now in daily use.",
        "Approved by Cabinet and published.",
        "The first cohort finished the training; a second is planned.",
    ],
    ActionStatus.STALLED: [
        "Waiting for funds: the item was cut from this year's budget.",
        "On hold after the change of permanent secretary.",
        "The bill is still waiting for a slot in Parliament.",
    ],
}


def _rng(*parts) -> random.Random:
    return random.Random(":".join(["action-plans-demo", *map(str, parts)]))


def _link_tasks(workshop) -> int:
    linked = 0
    for number, title_start, kind in LINKS:
        task = (
            PreparationTask.objects.filter(session__workshop=workshop, session__number=number)
            .filter(title__startswith=title_start)
            .first()
        )
        if task is not None:
            _, created = StructuredTask.objects.get_or_create(task=task, defaults={"kind": kind})
            linked += created
    return linked


@transaction.atomic
def load(workshop) -> str | None:
    # The migration loads these; a database emptied since (a test's flush) gets them back here.
    load_reference_data()
    ActionPlanSettings.objects.get_or_create(workshop=workshop)
    _link_tasks(workshop)
    links = selectors.linked_tasks(workshop)
    if (
        ActionPlan.objects.filter(cohort__workshop=workshop).exists()
        or SdgChoice.objects.filter(task__session__workshop=workshop).exists()
    ):
        return _summary(workshop)
    participants = list(
        Participant.objects.filter(cohort__workshop=workshop, is_active=True)
        .select_related("user", "cohort", "country")
        .order_by("cohort__name", "country__name", "user__email")
    )
    sdgs = {sdg.number: sdg for sdg in Sdg.objects.all()}
    now = timezone.now()
    session_ends = _session_ends(workshop)
    if links.get("sdg_choice"):
        _sdg_choices(links["sdg_choice"][0], participants, sdgs, session_ends, now)
    teams = {}
    for participant in participants:
        teams.setdefault((participant.cohort, participant.country), []).append(participant)
    priorities = {}
    if links.get("ndp_priorities"):
        priorities = _priorities(links["ndp_priorities"][0], teams, sdgs, session_ends, now)
    _plans(workshop, teams, priorities, sdgs, session_ends, now)
    return _summary(workshop)


def _session_ends(workshop) -> dict[tuple[int, int], object]:
    """(group id, session number) → the end of that occurrence."""
    return {
        (o.cohort_id, o.session.number): o.ends_at
        for o in SessionOccurrence.objects.filter(session__workshop=workshop).select_related("session")
    }


def _before(moment, now, rng, *, hours=(6, 96)):
    """A moment some hours before ``moment`` (and never in the future)."""
    base = min(moment, now) if moment else now
    return base - timedelta(hours=rng.randint(*hours))


def _sdg_choices(task, participants, sdgs, session_ends, now):
    numbers = list(SDG_WEIGHTS)
    weights = [SDG_WEIGHTS[n] for n in numbers]
    starts = {key: end - timedelta(minutes=135) for key, end in session_ends.items()}
    for participant in participants:
        email = participant.user.email
        if email in NO_SDG_YET:
            continue
        rng = _rng("sdg", email)
        number = 16 if email == DEMO_PARTICIPANT else rng.choices(numbers, weights)[0]
        choice = SdgChoice.objects.create(task=task, participant=participant, sdg=sdgs[number], note=SDG_NOTES[number])
        moment = _before(starts.get((participant.cohort_id, task.session.number)), now, rng)
        SdgChoice.objects.filter(pk=choice.pk).update(created_at=moment, updated_at=moment)


def _priorities(task, teams, sdgs, session_ends, now) -> dict:
    found = {}
    for (cohort, country), members in teams.items():
        if (cohort.name, country.code) in NO_PRIORITIES:
            continue
        rng = _rng("priorities", cohort.name, country.code)
        # Jamaica's are written for the demo participant's team; the others are drawn from the pool.
        chosen = JAMAICA_PRIORITIES if country.code == "JM" else rng.sample(PRIORITY_POOL, rng.choice([2, 3, 3, 4, 4]))
        start = session_ends.get((cohort.pk, task.session.number))
        start = start - timedelta(minutes=135) if start else None
        team_priorities = []
        for position, (title, numbers, contribution) in enumerate(chosen, start=1):
            author = members[(position - 1) % len(members)]
            priority = NdpPriority.objects.create(
                task=task,
                cohort=cohort,
                country=country,
                position=position,
                title=title,
                digital_contribution=contribution,
                created_by=author,
                updated_by=author,
            )
            priority.sdgs.set([sdgs[n] for n in numbers])
            moment = _before(start, now, rng, hours=(20, 120))
            NdpPriority.objects.filter(pk=priority.pk).update(created_at=moment, updated_at=moment)
            team_priorities.append(priority)
        found[(cohort.pk, country.pk)] = team_priorities
    return found


def _plans(workshop, teams, priorities, sdgs, session_ends, now):
    dimensions = selectors.dimensions_for(workshop)
    if not dimensions:
        return
    qualities = {q.key: q for q in ServiceQuality.objects.all()}
    last_session = max((number for _, number in session_ends), default=0)
    course_end = {cohort_id: end for (cohort_id, number), end in session_ends.items() if number == last_session}
    schedule = selectors.followup_schedule(workshop)
    for (cohort, country), members in teams.items():
        if country.code not in PLANS.get(cohort.name, []):
            continue
        if course_end.get(cohort.pk) is None or course_end[cohort.pk] > now:
            continue  # plans are drafted in the course's sessions: none before the group has had them all
        rng = _rng("plan", cohort.name, country.code)
        plan = ActionPlan.objects.create(cohort=cohort, country=country)
        weakest = [d for d in weakest_dimensions(cohort, country) if d.name in ACTION_POOL]
        order = weakest[:3] + [d for d in dimensions if d not in weakest[:3] and d.name in ACTION_POOL]
        partly = cohort.name == "Group A" and country.code == "JM"
        count = 2 if partly else rng.randint(3, 5)
        planned_at = _before(course_end.get(cohort.pk), now, rng, hours=(1, 48))
        team_priorities = priorities.get((cohort.pk, country.pk), [])
        passed = [m for m in schedule if m.cohort_id == cohort.pk and m.at <= now]
        used = set()
        latest = (planned_at, members[-1])
        for index in range(count):
            dimension = order[index % len(order)] if index < 3 else rng.choice(order)
            options = [a for a in ACTION_POOL[dimension.name] if a[0] not in used]
            if not options:
                continue
            title, owner, first_step, obstacles, overcoming, quality_keys = rng.choice(options)
            used.add(title)
            author = members[index % len(members)]
            priority = rng.choice(team_priorities) if team_priorities and rng.random() < 0.8 else None
            sparse = partly and index == 1
            action = Action.objects.create(
                plan=plan,
                title=title,
                dimension=dimension,
                priority=None if sparse else priority,
                owner="" if sparse else owner,
                first_step="" if sparse else first_step,
                time_frame=TimeFrame.NEXT_3_MONTHS if index == 0 else rng.choice(TimeFrame.values),
                obstacles="" if sparse else obstacles,
                overcoming="" if sparse else overcoming,
                created_by=author,
                updated_by=author,
                last_change="added",
            )
            if not sparse:
                action.sdgs.set([s for s in (priority.sdgs.all() if priority else [sdgs[16]])])
                action.qualities.set([qualities[key] for key in quality_keys if key in qualities])
            created = planned_at + timedelta(minutes=10 * index)
            changed = (created, author)
            if not partly:
                changed = _follow_up(action, members, passed, (cohort.name, country.code), rng, changed)
            Action.objects.filter(pk=action.pk).update(created_at=created, updated_at=changed[0])
            latest = max(latest, changed, key=lambda change: change[0])
        ActionPlan.objects.filter(pk=plan.pk).update(created_at=planned_at, updated_at=latest[0], updated_by=latest[1])


def _follow_up(action, members, passed, team, rng, changed):
    """The action's progress noted at each follow-up moment already passed; returns the last (moment, editor)."""
    status = ActionStatus.NOT_STARTED
    moments = passed[:-1] if team in LATE_UPDATERS else passed
    for moment in moments:
        if status == ActionStatus.DONE:
            break
        # Where an action goes next, from where it is: most move on, some stall, few finish within a year.
        status = rng.choices(
            [ActionStatus.NOT_STARTED, ActionStatus.STARTED, ActionStatus.DONE, ActionStatus.STALLED],
            NEXT_STATUS_WEIGHTS[status],
        )[0]
        editor = rng.choice(members)
        at = moment.at + timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 8))
        note = (
            rng.choice(PROGRESS_NOTES[status])
            if status in PROGRESS_NOTES
            else "Not started yet: waiting for a decision."
        )
        ActionUpdate.objects.create(
            action=action, status=status, previous_status=action.status, note=note, by=editor, at=at
        )
        Action.objects.filter(pk=action.pk).update(
            status=status, progress_note=note, updated_by=editor, last_change="status, progress note"
        )
        action.status = status
        changed = (at, editor)
    return changed


def _summary(workshop) -> str:
    choices = SdgChoice.objects.filter(task__session__workshop=workshop).count()
    teams = (
        NdpPriority.objects.filter(task__session__workshop=workshop)
        .values("cohort_id", "country_id")
        .distinct()
        .count()
    )
    plans = ActionPlan.objects.filter(cohort__workshop=workshop)
    actions = Action.objects.filter(plan__cohort__workshop=workshop)
    latest = actions.aggregate(latest=Max("updated_at"))["latest"]
    return (
        f"{choices} SDG choices, {teams} teams' priorities, {plans.count()} action plans with {actions.count()} "
        f"actions{' (last change ' + f'{latest:%Y-%m-%d}' + ')' if latest else ''}; Jamaica (Group A) has a "
        "partly filled plan."
    )
