"""The yearly reporting round: who reports what, reminders, ready marks, approval and links.

A region coordinator opens a round for a period of a programme. Opening it works out who
reports what (`assignments_plan`): for each municipality of the programme, the actions
grouped by the party responsible for them there, and the actions only regional parties are
responsible for, for the region as a whole. Reporters get reminders by e-mail before the
deadline (`reminders_send`, run daily by `hemma remind`), mark themselves ready, and the
region coordinator approves the round, which locks its period (hemma.followup.locks).
Unlocking again takes a reason, kept in the audit trail.

A reporter without an account reports through a reporting link: a signed token naming the
link's nonce, valid until it expires or is revoked and while its round is open. What is
entered through it is attributed to the link's recipient (hemma.followup.services).
See docs/reporting-round.md.
"""

import datetime
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hemma.audit.models import AuditEvent
from hemma.audit.services import audit_record
from hemma.followup import policies
from hemma.followup.locks import PeriodLocked
from hemma.followup.models import Assignment, Measurement, ReportingLink, Round
from hemma.followup.services import programme_period
from hemma.lib import periods
from hemma.lib.texts import pick
from hemma.organisations.models import Municipality, Organisation
from hemma.programmes.models import Action, ActionParty, Indicator, Programme

SIGNING_SALT = "hemma.reporting-link"
DEFAULT_REMINDER_DAYS = (14, 3)
MAX_LINK_DAYS = 365

Verb = AuditEvent.Verb


# -- who reports what ------------------------------------------------------------------------


@dataclass
class PlannedAssignment:
    municipality: Municipality | None
    organisation: Organisation | None
    name: str
    actions: list[Action] = field(default_factory=list)


def _is_generic_unit(organisation: Organisation) -> bool:
    """A municipal unit named for no municipality: every municipality has one ("Kommunen",
    "Fritidssektorn"), so it reports in each municipality for that municipality."""
    return (
        organisation.municipality_id is None
        and organisation.kind == Organisation.Kind.MUNICIPAL_UNIT
    )


def _party_for(
    action: Action, municipality: Municipality
) -> tuple[Literal["local", "region", "itself"], Organisation | None]:
    """Who reports `action` for `municipality`: ("local", organisation) for a party there,
    ("region", organisation) when only regional parties are responsible for it, and
    ("itself", None) when no one is named: the municipality itself reports.

    One party per action and municipality (the first named), so that nothing is asked of
    two reporters at once.
    """
    responsible = [
        link for link in action.party_links.all() if link.role == ActionParty.Role.RESPONSIBLE
    ]
    if action.responsible_per_municipality:
        named = [
            link.organisation for link in responsible if link.municipality_id == municipality.pk
        ]
        if named:
            return "local", named[0]
    programme_wide = [link.organisation for link in responsible if link.municipality_id is None]
    local = [
        organisation
        for organisation in programme_wide
        if organisation.municipality_id == municipality.pk or _is_generic_unit(organisation)
    ]
    if local:
        return "local", local[0]
    regional = [o for o in programme_wide if o.municipality_id is None]
    if regional and not action.responsible_per_municipality:
        return "region", regional[0]
    return "itself", None


def _joint_party(action: Action) -> Organisation | None:
    """Who reports a joint action's indicators for the region as a whole: the first party
    responsible for it programme-wide ("Kommunerna"), else no one named (the region itself)."""
    return next(
        (
            link.organisation
            for link in action.party_links.all()
            if link.role == ActionParty.Role.RESPONSIBLE and link.municipality_id is None
        ),
        None,
    )


def assignments_plan(programme: Programme) -> list[PlannedAssignment]:
    """Who reports what in a round of `programme`, in a fixed number of queries.

    The region as a whole first (the joint actions whose indicators are followed up for the
    region as a whole, by their responsible party), then each municipality by code,
    its reporters in the order of their first action; a regional party responsible for an
    action (the wellbeing services county) reports it for each municipality. An action with
    indicators of both scopes is in both: the region reports its joint indicators, each
    municipality the rest (see `is_asked`).
    """
    language = programme.language
    municipalities = list(programme.municipalities.order_by("code"))
    actions = list(
        Action.objects.filter(programme=programme)
        .select_related("goal__theme")
        .prefetch_related("party_links__organisation", "indicators")
        .order_by("goal__theme__position", "goal__position", "position", "id")
    )
    planned: dict[tuple[int | None, int | None], PlannedAssignment] = {}

    def add(municipality: Municipality | None, organisation: Organisation | None, action):
        key = (municipality.pk if municipality else None, organisation.pk if organisation else None)
        if key not in planned:
            name = pick(organisation.name, language) if organisation else ""
            if organisation is None and municipality is not None:
                name = pick(municipality.name, language)
            elif organisation is None:
                name = pick(programme.region.name, language)
            planned[key] = PlannedAssignment(
                municipality=municipality, organisation=organisation, name=name or "?"
            )
        if action not in planned[key].actions:
            planned[key].actions.append(action)

    for action in actions:
        scopes = {indicator.scope for indicator in action.indicators.all()}
        if Indicator.Scope.REGION in scopes:
            add(None, _joint_party(action), action)
            if scopes == {Indicator.Scope.REGION}:
                continue  # nothing of it is followed up per municipality
        for municipality in municipalities:
            # A regional party (the wellbeing services county) reports the municipality's
            # value too: the follow-up counts it in each municipality.
            _kind, organisation = _party_for(action, municipality)
            add(municipality, organisation, action)
    codes = {m.pk: m.code for m in municipalities}
    order = {action.pk: index for index, action in enumerate(actions)}
    return sorted(
        planned.values(),
        key=lambda p: (
            p.municipality is not None,
            codes.get(p.municipality.pk, "") if p.municipality else "",
            order[p.actions[0].pk],
        ),
    )


def is_asked(indicator: Indicator, municipality_id: int | None) -> bool:
    """Is a reporter for `municipality_id` (None: the region as a whole) asked for `indicator`
    of one of their actions? Where it is followed up, as the status matrix counts it: an
    indicator of the region by the region's reporter, any other by each municipality's."""
    if indicator.scope == Indicator.Scope.REGION:
        return municipality_id is None
    return municipality_id is not None


def periods_within(round_period: str, kind: str) -> list[str]:
    """The periods of an indicator's `kind` that lie within the round's period, in order."""
    outer = periods.parse(round_period)
    if kind == Indicator.Period.MULTI_YEAR:
        return [outer.code] if outer.kind == "multi_year" else []
    codes = []
    for year in range(outer.start.year, outer.end.year + 1):
        if kind == Indicator.Period.YEAR:
            codes.append(str(year))
        elif kind == Indicator.Period.HALF_YEAR:
            codes.extend(f"{year}H{half}" for half in (1, 2))
        elif kind == Indicator.Period.QUARTER:
            codes.extend(f"{year}Q{quarter}" for quarter in (1, 2, 3, 4))
    found = []
    for code in codes:
        inner = periods.parse(code)
        if outer.start <= inner.start and inner.end <= outer.end:
            found.append(code)
    return found


# -- checks ----------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _check_manager(actor, programme: Programme) -> None:
    if actor is not None:
        _require(policies.can_manage_round(actor, programme))


def _check_open(round: Round) -> None:
    if round.locked:
        raise PeriodLocked(round.period)


def _reminder_days(days: Iterable[int]) -> list[int]:
    try:
        cleaned = sorted({int(day) for day in days}, reverse=True)
    except (TypeError, ValueError):
        cleaned = [-1]
    if any(day < 0 or day > 365 for day in cleaned):
        raise ValidationError(
            {"reminder_days": _("Give the reminder days as whole numbers from 0 to 365.")}
        )
    return cleaned


# -- rounds ----------------------------------------------------------------------------------


def round_open(
    *,
    actor,
    programme: Programme,
    period: str,
    deadline: datetime.date,
    reminder_days: Sequence[int] = DEFAULT_REMINDER_DAYS,
) -> Round:
    """Open the round of `programme` for `period`, with its reporters worked out.

    Each reporter's e-mail and name are taken over from the programme's latest round where
    the same party reported for the same municipality, so a coordinator types them once.
    """
    _check_manager(actor, programme)
    parsed = programme_period(programme, period)
    days = _reminder_days(reminder_days)
    with transaction.atomic():
        if Round.objects.filter(programme=programme, period=parsed.code).exists():
            raise ValidationError(
                {"period": _("There is already a round for %(period)s.") % {"period": parsed}}
            )
        round = Round.objects.create(
            programme=programme,
            period=parsed.code,
            deadline=deadline,
            reminder_days=days,
            opened_by=actor if actor is not None and actor.is_authenticated else None,
        )
        previous = {
            (a.municipality_id, a.organisation_id): a
            for a in Assignment.objects.filter(round__programme=programme)
            .exclude(round=round)
            .order_by("round__opened_at", "id")
        }
        planned = assignments_plan(programme)
        created = Assignment.objects.bulk_create(
            [
                Assignment(
                    round=round,
                    municipality=p.municipality,
                    organisation=p.organisation,
                    name=p.name[:200],
                    email=_earlier(previous, p, "email"),
                    position=index,
                )
                for index, p in enumerate(planned)
            ]
        )
        through = Assignment.actions.through
        through.objects.bulk_create(
            [
                through(assignment_id=assignment.pk, action_id=action.pk)
                for assignment, p in zip(created, planned, strict=True)
                for action in p.actions
            ]
        )
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=round,
            programme_id=programme.pk,
            changes={
                "period": (None, round.period),
                "deadline": (None, deadline),
                "reminder_days": (None, days),
                "reporters": (None, len(created)),
            },
        )
    return round


def _earlier(previous: dict, planned: PlannedAssignment, name: str) -> str:
    key = (
        planned.municipality.pk if planned.municipality else None,
        planned.organisation.pk if planned.organisation else None,
    )
    earlier = previous.get(key)
    return getattr(earlier, name) if earlier is not None else ""


def round_deadline_set(*, actor, round: Round, deadline: datetime.date) -> Round:
    """Move the deadline. Reminder stages not yet due under the new deadline are sent again."""
    _check_manager(actor, round.programme)
    _check_open(round)
    if deadline == round.deadline:
        return round
    with transaction.atomic():
        old = round.deadline
        round.deadline = deadline
        round.save(update_fields=["deadline"])
        days_left = (deadline - timezone.localdate()).days
        changed = []
        for assignment in round.assignments.all():
            kept = [stage for stage in assignment.reminders_sent if days_left <= stage]
            if kept != assignment.reminders_sent:
                assignment.reminders_sent = kept
                changed.append(assignment)
        Assignment.objects.bulk_update(changed, ["reminders_sent"])
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=round,
            programme_id=round.programme_id,
            changes={"deadline": (old, deadline)},
        )
    return round


def round_approve(*, actor, round: Round) -> Round:
    """Approve the round: its period is locked for values and assessments."""
    _check_manager(actor, round.programme)
    with transaction.atomic():
        # Locked and read again: of two approvals at once, one is made.
        if Round.objects.select_for_update().get(pk=round.pk).locked:
            raise ValidationError(_("This round is already approved."))
        round.state = Round.State.APPROVED
        round.approved_by = actor if actor is not None and actor.is_authenticated else None
        round.approved_at = timezone.now()
        round.save(update_fields=["state", "approved_by", "approved_at"])
        audit_record(
            actor=actor,
            verb=Verb.APPROVE,
            target=round,
            programme_id=round.programme_id,
            changes={"state": (Round.State.OPEN, Round.State.APPROVED)},
        )
    return round


def round_unlock(*, actor, round: Round, reason: str) -> Round:
    """Open an approved round again; only a region coordinator (or a superuser), with a reason."""
    _require(actor is not None and policies.can_manage_round(actor, round.programme))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for unlocking the period.")})
    with transaction.atomic():
        if not Round.objects.select_for_update().get(pk=round.pk).locked:
            raise ValidationError(_("This round is not approved: there is nothing to unlock."))
        round.state = Round.State.OPEN
        round.approved_by = None
        round.approved_at = None
        round.save(update_fields=["state", "approved_by", "approved_at"])
        audit_record(
            actor=actor,
            verb=Verb.UNLOCK,
            target=round,
            programme_id=round.programme_id,
            changes={"state": (Round.State.APPROVED, Round.State.OPEN), "reason": (None, reason)},
        )
    return round


# -- reporters -------------------------------------------------------------------------------


def assignment_update(*, actor, assignment: Assignment, email: str, name: str) -> Assignment:
    """Change who a reporter is shown as and where their reminders go."""
    _check_manager(actor, assignment.round.programme)
    email, name = (email or "").strip(), (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Give the reporter's name.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Give a valid e-mail address.")
    if errors:
        raise ValidationError(errors)
    changes = {
        key: (getattr(assignment, key), value)
        for key, value in {"name": name[:200], "email": email}.items()
        if getattr(assignment, key) != value
    }
    if not changes:
        return assignment
    with transaction.atomic():
        for key, (_old, value) in changes.items():
            setattr(assignment, key, value)
        assignment.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=assignment,
            programme_id=assignment.round.programme_id,
            changes=changes,
        )
    return assignment


def assignment_ready_set(*, actor_or_link, assignment: Assignment, ready: bool) -> Assignment:
    """Mark a reporter ready (or not ready again), by a coordinator or through its link."""
    round = assignment.round
    if isinstance(actor_or_link, ReportingLink):
        link, actor = actor_or_link, None
        _require(link.assignment_id == assignment.pk)
        who = link.recipient_name
    else:
        link, actor = None, actor_or_link
        _require(actor is not None and policies.can_mark_ready(actor, assignment))
        who = actor.get_username()
    _check_open(round)
    if bool(assignment.ready_at) == ready:
        return assignment
    with transaction.atomic():
        old = assignment.ready_at
        assignment.ready_at = timezone.now() if ready else None
        assignment.ready_by_name = who[:150] if ready else ""
        assignment.save(update_fields=["ready_at", "ready_by_name"])
        audit_record(
            actor=actor,
            actor_name=who if link is not None else "",
            verb=Verb.UPDATE,
            target=assignment,
            programme_id=round.programme_id,
            changes={"ready": (old is not None, ready)},
        )
    return assignment


def reporter_source(assignment: Assignment, language: str) -> dict[str, str] | None:
    """The translated name a reporter's stored name was taken from, while it is unchanged.

    A round stores each reporter's name in the programme's `language` (its organisation's
    name, or the municipality's when the municipality itself reports). Pages in another
    language show that name translated; a name a coordinator changed is shown as stored.
    """
    if assignment.organisation_id is not None:
        source = assignment.organisation.name  # type: ignore[union-attr]
    elif assignment.municipality_id is not None:
        source = assignment.municipality.name  # type: ignore[union-attr]
    else:
        return None
    if not source or pick(source, language)[:200] != assignment.name:
        return None
    return source


# -- reminders -------------------------------------------------------------------------------


def site_url(path: str) -> str:
    """`path` as an absolute address, for e-mails sent outside a request (HEMMA_SITE_URL)."""
    base = getattr(settings, "HEMMA_SITE_URL", "") or "http://127.0.0.1:8000"
    return base.rstrip("/") + path


def grid_path(round: Round, municipality: Municipality | None) -> str:
    """Where an account holder enters the round's values: the grid if it is there, else the
    programme's page."""
    programme = round.programme
    candidates = []
    code = municipality.code if municipality else "region"
    candidates.append(("followup:grid", [programme.slug, round.period, code]))
    candidates.append(("followup:grid_start", [programme.slug]))
    candidates.append(("programmes:detail", [programme.slug]))
    for name, args in candidates:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:  # the grid's address is another part's: fall back
            pass
    return "/"


def _mail_context(assignment: Assignment) -> dict:
    """What every mail to a reporter names: the round, the programme, the municipality."""
    programme = assignment.round.programme
    return {
        "assignment": assignment,
        "round": assignment.round,
        "programme_title": pick(programme.title, programme.language),
        "municipality": (
            pick(assignment.municipality.name, programme.language)
            if assignment.municipality
            else ""
        ),
    }


def reminder_message(assignment: Assignment, *, today: datetime.date) -> tuple[str, str]:
    """The reminder's subject and body, in the programme's language."""
    round = assignment.round
    programme = round.programme
    with translation.override(programme.language):
        context = {
            **_mail_context(assignment),
            "days_left": (round.deadline - today).days,
            "actions": [
                {
                    "title": pick(action.title, programme.language),
                    "indicators": [
                        pick(indicator.name, programme.language)
                        for indicator in action.indicators.all()
                    ],
                }
                for action in assignment.actions.all()
            ],
            "where": site_url(grid_path(round, assignment.municipality)),
        }
        subject = render_to_string("followup/email/reminder_subject.txt", context)
        body = render_to_string("followup/email/reminder.txt", context)
    return " ".join(subject.split()), body


def reminders_send(*, today: datetime.date) -> int:
    """Send the reminders due `today`; the number of e-mails sent.

    In an open round whose deadline is today or later, a reporter who is not ready and has
    an e-mail address gets one reminder per stage of `reminder_days` (days before the
    deadline) once the deadline is that close. Stages are recorded as sent, so running this
    again the same day (or after a missed day) sends nothing twice; stages missed on days
    this did not run are sent together as one e-mail.
    """
    sent = 0
    rounds = Round.objects.filter(state=Round.State.OPEN, deadline__gte=today).select_related(
        "programme"
    )
    for round in rounds:
        days_left = (round.deadline - today).days
        stages = [stage for stage in round.reminder_days if days_left <= stage]
        if not stages:
            continue
        waiting = (
            round.assignments.filter(ready_at__isnull=True)
            .exclude(email="")
            .select_related("municipality")
            .prefetch_related("actions__indicators")
        )
        for assignment in waiting:
            due = [stage for stage in stages if stage not in assignment.reminders_sent]
            if not due:
                continue
            with transaction.atomic():
                # Locked and read again: two runs at once send one e-mail.
                current = Assignment.objects.select_for_update().get(pk=assignment.pk)
                due = [stage for stage in due if stage not in current.reminders_sent]
                if not due or current.ready_at is not None:
                    continue
                assignment.round = round
                subject, body = reminder_message(assignment, today=today)
                send_mail(subject, body, None, [current.email])
                old = list(current.reminders_sent)
                current.reminders_sent = sorted(set(old) | set(due), reverse=True)
                current.save(update_fields=["reminders_sent"])
                audit_record(
                    actor=None,
                    actor_name="hemma remind",
                    verb=Verb.UPDATE,
                    target=current,
                    programme_id=round.programme_id,
                    changes={"reminders_sent": (old, current.reminders_sent)},
                )
                sent += 1
    return sent


# -- reporting links -------------------------------------------------------------------------


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SIGNING_SALT)


def link_path(token: str, *, language: str) -> str:
    with translation.override(language):
        return reverse("followup:link", args=[token])


def link_create(
    *,
    actor,
    assignment: Assignment,
    recipient_name: str,
    recipient_email: str = "",
    days: int = 30,
) -> tuple[ReportingLink, str]:
    """A new reporting link for `assignment`, and its path with the signed token.

    Only the nonce is stored, never the token: the address is made again by signing it
    (`link_address`). The path is in the programme's language, which the reporter's page
    then speaks.
    """
    round = assignment.round
    _require(actor is not None and policies.can_manage_links(actor, assignment))
    _check_open(round)
    recipient_name, recipient_email = (
        (recipient_name or "").strip(),
        (recipient_email or "").strip(),
    )
    errors = {}
    if not recipient_name:
        errors["recipient_name"] = _("Give the name of the person who gets the link.")
    if recipient_email:
        try:
            validate_email(recipient_email)
        except ValidationError:
            errors["recipient_email"] = _("Give a valid e-mail address.")
    if not isinstance(days, int) or not 1 <= days <= MAX_LINK_DAYS:
        errors["days"] = _("A link is valid from 1 to %(max)s days.") % {"max": MAX_LINK_DAYS}
    if errors:
        raise ValidationError(errors)
    nonce = secrets.token_urlsafe(16)
    with transaction.atomic():
        link = ReportingLink.objects.create(
            assignment=assignment,
            recipient_name=recipient_name[:150],
            recipient_email=recipient_email,
            nonce=nonce,
            expires_at=timezone.now() + datetime.timedelta(days=days),
            created_by=actor if actor.is_authenticated else None,
        )
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=link,
            programme_id=round.programme_id,
            changes={
                "reporter": (None, assignment.name),
                "recipient": (None, link.recipient_name),
                "expires_at": (None, link.expires_at),
            },
        )
    return link, _signed_path(link)


def _signed_path(link: ReportingLink) -> str:
    """The link's address: its nonce signed (a new signature each time, opening the same link),
    in the programme's language."""
    token = _signer().sign_object({"n": link.nonce})
    return link_path(token, language=link.assignment.round.programme.language)


def link_usable(link: ReportingLink) -> bool:
    """Whether the link opens its page now: not revoked, not expired, its round open."""
    return (
        link.revoked_at is None
        and link.expires_at > timezone.now()
        and not link.assignment.round.locked
    )


def link_address(*, actor, link: ReportingLink) -> str | None:
    """The address of a link, for someone who may manage it, while it can be used; else None.

    Only the nonce is stored, so the address is made again by signing it: the one shown after
    the link was made (POST, then redirect to a page that shows it) and on reloading that page.
    """
    _require(actor is not None and policies.can_manage_links(actor, link.assignment))
    if not link_usable(link):
        return None
    return _signed_path(link)


def link_send(*, actor, link: ReportingLink, url: str) -> None:
    """E-mail a new link's address to its recipient, in the programme's language.

    Called right after `link_create`, which alone knows the token: the address is sent for
    this purpose only, never again in a reminder.
    """
    _require(actor is not None and policies.can_manage_links(actor, link.assignment))
    if not link.recipient_email:
        raise ValidationError(
            {"recipient_email": _("Give the e-mail address to send the link to.")}
        )
    assignment = link.assignment
    round = assignment.round
    programme = round.programme
    with translation.override(programme.language):
        context = {**_mail_context(assignment), "link": link, "url": url}
        subject = " ".join(render_to_string("followup/email/link_subject.txt", context).split())
        body = render_to_string("followup/email/link.txt", context)
    with transaction.atomic():
        send_mail(subject, body, None, [link.recipient_email])
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=link,
            programme_id=round.programme_id,
            changes={"sent_to": (None, link.recipient_email)},
        )


def link_revoke(*, actor, link: ReportingLink) -> ReportingLink:
    _require(actor is not None and policies.can_manage_links(actor, link.assignment))
    if link.revoked_at is not None:
        return link
    with transaction.atomic():
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=link,
            programme_id=link.assignment.round.programme_id,
            changes={"revoked_at": (None, link.revoked_at)},
        )
    return link


LinkState = Literal["valid", "bad", "expired", "revoked", "closed"]


@dataclass(frozen=True)
class LinkLookup:
    state: LinkState
    link: ReportingLink | None = None


def link_lookup(token: str) -> LinkLookup:
    """What a token opens: a valid link, or why not (bad, expired, revoked, round closed)."""
    try:
        data = _signer().unsign_object(token)
        nonce = data["n"] if isinstance(data, dict) else None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return LinkLookup("bad")
    if not isinstance(nonce, str):
        return LinkLookup("bad")
    link = (
        ReportingLink.objects.filter(nonce=nonce)
        .select_related(
            "assignment__round__programme__region",
            "assignment__municipality",
            "assignment__organisation",
        )
        .first()
    )
    if link is None:
        return LinkLookup("bad")
    if link.revoked_at is not None:
        return LinkLookup("revoked", link)
    if link.expires_at <= timezone.now():
        return LinkLookup("expired", link)
    if link.assignment.round.locked:
        return LinkLookup("closed", link)
    return LinkLookup("valid", link)


def link_from_token(token: str) -> ReportingLink | None:
    """The link a token opens if it may be used now; None for a bad signature, an unknown
    nonce, a revoked or expired link, or a link whose round is approved."""
    found = link_lookup(token)
    return found.link if found.state == "valid" else None


def link_used(link: ReportingLink) -> None:
    """Note that the link was opened (shown on the round's overview)."""
    now = timezone.now()
    ReportingLink.objects.filter(pk=link.pk).update(last_used_at=now)
    link.last_used_at = now


def measurements_of_round(round: Round) -> set[tuple[int, int | None, str]]:
    """(indicator id, municipality id, period) of every value within the round's period."""
    outer = periods.parse(round.period)
    wanted = {
        code for kind in Indicator.Period.values for code in periods_within(round.period, kind)
    } | {outer.code}
    return set(
        Measurement.objects.filter(
            indicator__action__programme_id=round.programme_id, period__in=wanted
        ).values_list("indicator_id", "municipality_id", "period")
    )
