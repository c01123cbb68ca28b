"""What each audit event means, as a sentence a person can read.

Every audited type (commands of every area, and the few events that are no
command: logins, logouts) gets a label for the type filter ("Revoke an
invitation") and a sentence with placeholders ("%(actor)s revoked
%(target)s's invitation"). Both are message ids: the web layer translates
them and puts the names (with links) in. A type this table does not know
yet, say a command another area added today, falls back to a translated
generic sentence named after its area: never a raw code.

`HISTORY` marks what an organisation admin sees of their organisation:
the changes made to its objects (invitations, staff, roles, units), not
the security log of logins and passwords, which stays with platform admins
(seed 001, section 6.4: audit logging is not for clients).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.core.areas import title_of
from app.i18n import lazy


@dataclass(frozen=True)
class Wording:
    label: str  # for the type filter and for refusals: "Revoke an invitation"
    done: str  # the applied event: "%(actor)s revoked %(target)s's invitation"
    # Sentences for some values of the event's `detail` (a handler's code).
    details: dict[str, str] = field(default_factory=dict)
    history: bool = True  # shown to organisation admins


def _w(label: str, done: str, history: bool = True, **details: str) -> Wording:
    return Wording(label, done, details, history)


# Placeholders: actor (who did it), target (what the event is about), role
# (a granted or revoked role), date (a new expiry date).
WORDINGS: dict[str, Wording] = {
    # -- accounts
    "accounts.change_password": _w(
        lazy("Change own password"), lazy("%(actor)s changed their password"), history=False
    ),
    "accounts.confirm_email": _w(
        lazy("Confirm a new e-mail address"), lazy("%(target)s confirmed a new e-mail address"), history=False
    ),
    "accounts.deactivate_user": _w(
        lazy("Deactivate an account"),
        lazy("%(actor)s deactivated the account of %(target)s"),
    ),
    "accounts.reactivate_user": _w(
        lazy("Reactivate an account"), lazy("%(actor)s reactivated the account of %(target)s")
    ),
    "accounts.finish_introduction": _w(
        lazy("Finish the passport introduction"),
        lazy("%(actor)s finished the passport introduction"),
        history=False,
    ),
    "accounts.end_sessions": _w(lazy("End every session"), lazy("%(actor)s logged out everywhere"), history=False),
    "accounts.record_login": _w(lazy("Log in"), lazy("%(actor)s logged in"), history=False),
    "accounts.logout": _w(
        lazy("Log out"),
        lazy("%(actor)s logged out"),
        history=False,
        idle=lazy("The badge session of %(actor)s ended after 90 seconds without input"),
    ),
    "accounts.login_failed": _w(
        lazy("Failed login"),
        lazy("A login to the account of %(target)s failed"),
        history=False,
        wrong_password=lazy("A login to the account of %(target)s failed: wrong password"),
        unknown_account=lazy("A login with an e-mail address that has no account failed"),
    ),
    "accounts.login_refused": _w(
        lazy("Login of a deactivated account"),
        lazy("%(target)s could not log in: the account is deactivated"),
        history=False,
    ),
    "accounts.request_password_reset": _w(
        lazy("Ask for a password reset link"),
        lazy("%(target)s asked for a link to reset their password"),
        history=False,
        no_account=lazy("Someone asked for a password reset link for an address that has no account"),
        too_many_links=lazy("%(target)s asked for another reset link; none was sent (too many in an hour)"),
    ),
    "accounts.reset_password": _w(
        lazy("Reset a password"), lazy("%(target)s chose a new password with a reset link"), history=False
    ),
    "accounts.set_password": _w(lazy("Choose a first password"), lazy("%(target)s chose their password")),
    # -- admin
    "admin.create_organisation": _w(
        lazy("Create an organisation"), lazy("%(actor)s created the organisation %(target)s")
    ),
    "admin.update_organisation": _w(
        lazy("Change an organisation"), lazy("%(actor)s changed the details of the organisation %(target)s")
    ),
    "admin.create_staff_user": _w(
        lazy("Create a staff account"), lazy("%(actor)s created the staff account of %(target)s")
    ),
    "admin.update_staff_user": _w(
        lazy("Change a staff account"),
        lazy("%(actor)s changed the details of %(target)s"),
        email_change_requested=lazy(
            "%(actor)s changed the details of %(target)s and asked to confirm a new e-mail address"
        ),
        email_change_cancelled=lazy("%(actor)s changed the details of %(target)s and kept the current e-mail address"),
    ),
    "admin.resend_set_password": _w(
        lazy("Send a set-password link again"), lazy("%(actor)s sent %(target)s a new link to choose a password")
    ),
    "admin.grant_role": _w(
        lazy("Grant a role"),
        lazy("%(actor)s gave %(target)s a role"),
        role=lazy("%(actor)s gave %(target)s the role %(role)s"),
    ),
    "admin.move_role": _w(
        lazy("Move a role to another unit"),
        lazy("%(actor)s moved a role of %(target)s to another unit"),
        role=lazy("%(actor)s moved the role %(role)s of %(target)s to another unit"),
    ),
    "admin.revoke_role": _w(
        lazy("Revoke a role"),
        lazy("%(actor)s took a role away from %(target)s"),
        role=lazy("%(actor)s took the role %(role)s away from %(target)s"),
    ),
    "admin.create_unit": _w(lazy("Add a unit"), lazy("%(actor)s added the unit %(target)s")),
    "admin.update_unit": _w(lazy("Rename a unit"), lazy("%(actor)s renamed the unit %(target)s")),
    "admin.delete_unit": _w(lazy("Delete a unit"), lazy("%(actor)s deleted the unit %(target)s")),
    "admin.retry_job": _w(
        lazy("Retry a job"), lazy("%(actor)s asked for the job %(target)s to be tried again"), history=False
    ),
    # -- invitations
    "invitations.create": _w(
        lazy("Invite a person"),
        lazy("%(actor)s invited %(target)s"),
        already_registered=lazy("%(actor)s added %(target)s, who already had an account: no invitation needed"),
        already_invited=lazy("%(actor)s tried to invite %(target)s again: the first invitation still holds"),
    ),
    "invitations.extend": _w(
        lazy("Extend an invitation"),
        lazy("%(actor)s extended the invitation of %(target)s"),
        date=lazy("%(actor)s extended the invitation of %(target)s until %(date)s"),
    ),
    "invitations.reinvite": _w(lazy("Invite again"), lazy("%(actor)s invited %(target)s again with a new invitation")),
    "invitations.resend": _w(
        lazy("Send an invitation again"), lazy("%(actor)s sent the invitation of %(target)s again")
    ),
    "invitations.revoke": _w(lazy("Revoke an invitation"), lazy("%(actor)s revoked the invitation of %(target)s")),
    "invitations.expire": _w(lazy("Invitation expired"), lazy("The invitation of %(target)s expired")),
    "invitations.mark_sent": _w(lazy("Invitation mailed"), lazy("The invitation of %(target)s was sent by e-mail")),
    "invitations.import_apply": _w(lazy("Import a list of people"), lazy("%(actor)s imported %(target)s")),
    "invitations.issue_badge": _w(lazy("Print a badge"), lazy("%(actor)s printed a kiosk badge for %(target)s")),
    # -- registration
    "registration.open": _w(lazy("Open an invitation"), lazy("%(target)s opened their invitation")),
    "registration.verify_identity": _w(
        lazy("Confirm identity"),
        lazy("%(target)s confirmed their identity with their birth date"),
        mismatch=lazy("%(target)s entered a birth date that does not match the invitation"),
        locked=lazy("%(target)s entered a wrong birth date too often: the invitation is locked for a while"),
        still_locked=lazy("%(target)s tried again while the invitation was locked"),
    ),
    "registration.complete": _w(
        lazy("Register"),
        lazy("%(target)s registered"),
        linked=lazy("%(target)s linked the invitation to their existing account"),
        created=lazy("%(target)s registered and created an account"),
    ),
    "registration.issue_pin_reset": _w(
        lazy("Make a PIN-reset code"), lazy("%(actor)s made a PIN-reset code for %(target)s")
    ),
    "registration.reset_pin": _w(lazy("Choose a new PIN"), lazy("%(target)s chose a new PIN")),
    # -- passport: the worker's own data (not shown to organisation admins)
    "passport.save_identity": _w(
        lazy("Change own identity data"), lazy("%(actor)s changed their identity data"), history=False
    ),
    "passport.save_contact": _w(
        lazy("Change own contact data"), lazy("%(actor)s changed their contact data"), history=False
    ),
    "passport.save_address": _w(lazy("Change own address"), lazy("%(actor)s changed their address"), history=False),
    "passport.save_bank": _w(
        lazy("Change own bank account"), lazy("%(actor)s changed their bank account"), history=False
    ),
    # -- passport: consent
    "passport.set_consent": _w(
        lazy("Give or change consent"),
        lazy("%(actor)s changed what the organisation may see"),
        grant=lazy("%(actor)s gave the organisation consent to see part of their passport"),
        change=lazy("%(actor)s changed what the organisation may see of their passport"),
        withdraw=lazy("%(actor)s withdrew their consent"),
        unchanged=lazy("%(actor)s confirmed their consent without changes"),
    ),
    "passport.answer_request": _w(
        lazy("Answer a request for consent"),
        lazy("%(actor)s answered the organisation's request to see more"),
        accepted=lazy("%(actor)s accepted the organisation's request to see more"),
        narrowed=lazy("%(actor)s accepted part of the organisation's request to see more"),
        refused=lazy("%(actor)s refused the organisation's request to see more"),
    ),
    "passport.end_membership": _w(
        lazy("Consent ended with the membership"),
        lazy("What %(target)s shared with the organisation was withdrawn when their role ended"),
        unchanged=lazy("%(target)s's role ended; nothing was shared with the organisation"),
    ),
    "passport.expire_consent": _w(lazy("Consent expired"), lazy("A consent given to the organisation expired")),
    "passport.withdraw_consent": _w(
        lazy("Withdraw consent"),
        lazy("%(actor)s withdrew their consent"),
        unchanged=lazy("%(actor)s withdrew a consent that was no longer in force"),
    ),
    # -- passport: the worker's lists, preferences and documents (not shown to organisation admins)
    "passport.add_item": _w(
        lazy("Add to own passport"), lazy("%(actor)s added an entry to their passport"), history=False
    ),
    "passport.change_item": _w(
        lazy("Change own passport entry"), lazy("%(actor)s changed an entry of their passport"), history=False
    ),
    "passport.remove_item": _w(
        lazy("Remove own passport entry"), lazy("%(actor)s removed an entry from their passport"), history=False
    ),
    "passport.save_preferences": _w(
        lazy("Change own work preferences"), lazy("%(actor)s changed their work preferences"), history=False
    ),
    "passport.save_mobility": _w(lazy("Change own mobility"), lazy("%(actor)s changed their mobility"), history=False),
    "passport.save_availability": _w(
        lazy("Change own availability"), lazy("%(actor)s changed their availability"), history=False
    ),
    "passport.add_document": _w(lazy("Add own document"), lazy("%(actor)s added a document"), history=False),
    "passport.remove_document": _w(lazy("Remove own document"), lazy("%(actor)s removed a document"), history=False),
    # -- passport: the consultant asks for more
    "passport.request_consent": _w(
        lazy("Ask a worker to share more"),
        lazy("%(actor)s asked %(target)s to share more of their passport"),
        replaced=lazy("%(actor)s asked %(target)s again to share more of their passport"),
    ),
    # -- participation
    "participation.set_up_defaults": _w(
        lazy("Add the default rooms"), lazy("%(actor)s added the default rooms of participation"), history=False
    ),
    "participation.open_table": _w(lazy("Open a table"), lazy("%(actor)s opened a table")),
    "participation.buy_chair": _w(lazy("Buy a chair"), lazy("%(actor)s bought a chair at a table"), history=False),
    # -- api keys
    "api.create_key": _w(lazy("Make an API key"), lazy("%(actor)s made an API key")),
    "api.revoke_key": _w(lazy("Revoke an API key"), lazy("%(actor)s revoked an API key")),
    # -- passport: the worker's rights (closing, erasing; the retention rule).
    # Organisation admins see one event per record of the person ("organisation").
    "passport.close_account": _w(
        lazy("Close one's account"),
        lazy("%(actor)s closed their account"),
        organisation=lazy("%(target)s closed their Werkpas account: they no longer share anything"),
    ),
    "passport.erase": _w(
        lazy("Erase one's data"),
        lazy("%(actor)s erased their personal data"),
        organisation=lazy(
            "%(target)s erased their Werkpas account: it is no longer linked to this record, which stays yours"
        ),
    ),
    "passport.close_inactive": _w(
        lazy("Close an unused account"),
        lazy("The account of %(target)s was closed after 15 months without use"),
        retention=lazy("The account of %(target)s was closed after 15 months without use"),
        organisation=lazy("The Werkpas account of %(target)s was closed after 15 months without use"),
    ),
    "passport.erase_closed": _w(
        lazy("Erase a closed account"),
        lazy("The data of %(target)s was erased 12 months after the account was closed"),
        organisation=lazy(
            "The Werkpas account of %(target)s was erased: it is no longer linked to this record, which stays yours"
        ),
    ),
}

# -- participation: set-up, help, announcements and mail (app.domain.participation)
WORDINGS.update(
    {
        "participation.set_up_defaults": _w(
            lazy("Add the default rooms"), lazy("%(actor)s added the default rooms of %(target)s")
        ),
        "participation.update_settings": _w(
            lazy("Change participation prices and coins"), lazy("%(actor)s changed the prices and coins of %(target)s")
        ),
        "participation.add_room": _w(lazy("Add a room"), lazy("%(actor)s added a room")),
        "participation.update_room": _w(lazy("Change a room"), lazy("%(actor)s changed a room")),
        "participation.move_room": _w(lazy("Reorder the rooms"), lazy("%(actor)s moved a room")),
        "participation.archive_room": _w(lazy("Archive a room"), lazy("%(actor)s took a room out of use")),
        "participation.restore_room": _w(lazy("Restore a room"), lazy("%(actor)s put a room back in use")),
        "participation.set_ambassador_post": _w(
            lazy("Choose an ambassador"), lazy("%(actor)s chose the ambassador and deputy of %(target)s")
        ),
        "participation.set_goal": _w(lazy("Set a collective goal"), lazy("%(actor)s set a collective goal")),
        "participation.remove_goal": _w(lazy("Remove a collective goal"), lazy("%(actor)s removed a collective goal")),
        "participation.save_moment": _w(
            lazy("Set a fixed consultation moment"), lazy("%(actor)s set a fixed consultation moment")
        ),
        "participation.remove_moment": _w(
            lazy("Stop a fixed consultation moment"), lazy("%(actor)s stopped a fixed consultation moment")
        ),
        "participation.add_faq": _w(lazy("Add a question to the FAQ"), lazy("%(actor)s added a question to the FAQ")),
        "participation.update_faq": _w(
            lazy("Change a question of the FAQ"), lazy("%(actor)s changed a question of the FAQ")
        ),
        "participation.remove_faq": _w(
            lazy("Remove a question of the FAQ"), lazy("%(actor)s removed a question of the FAQ")
        ),
        "participation.move_faq": _w(lazy("Reorder the FAQ"), lazy("%(actor)s moved a question of the FAQ")),
        "participation.copy_default_faq": _w(
            lazy("Copy the default FAQ"), lazy("%(actor)s copied the default questions into the FAQ")
        ),
        "participation.post_announcement": _w(lazy("Post an announcement"), lazy("%(actor)s posted an announcement")),
        "participation.delete_announcement": _w(
            lazy("Delete an announcement"), lazy("%(actor)s deleted an announcement")
        ),
        "participation.ask_ambassador": _w(
            lazy("Ask the ambassador"), lazy("%(actor)s sent a question to their ambassador"), history=False
        ),
        "participation.set_mail_settings": _w(
            lazy("Change own mail settings"), lazy("%(actor)s changed their mail settings"), history=False
        ),
        "participation.unsubscribe": _w(
            lazy("Unsubscribe from a kind of mail"), lazy("%(target)s unsubscribed from a kind of mail"), history=False
        ),
        "participation.send_digest": _w(
            lazy("Mail the participation digest"),
            lazy("The participation digest was mailed to %(target)s"),
            history=False,
        ),
    }
)

# The areas, for the sentence of a type the table does not know.
GENERIC_LABEL = lazy("Other change: %(area)s")
GENERIC_DONE = lazy("%(actor)s made a change in %(area)s")
GENERIC_LABEL_UNKNOWN_AREA = lazy("Other change")
GENERIC_DONE_UNKNOWN_AREA = lazy("%(actor)s made a change")
GENERIC_ABOUT = lazy("%(sentence)s, about %(target)s")
REFUSED = lazy("%(actor)s was refused: %(action)s")
REFUSED_ABOUT = lazy("%(actor)s was refused: %(action)s (%(target)s)")


def area_of(event_type: str) -> str:
    return event_type.partition(".")[0]


def known(event_type: str) -> bool:
    return event_type in WORDINGS


def in_history(event_type: str) -> bool:
    """Whether an organisation admin sees this type: the changes to their
    organisation's objects. A type the table does not know yet is a command
    of some area (audit events that are no command are all listed here), so
    it counts as history."""
    wording = WORDINGS.get(event_type)
    return wording.history if wording else True


def hidden_from_history() -> list[str]:
    return sorted(name for name, wording in WORDINGS.items() if not wording.history)


def label(event_type: str) -> tuple[str, dict[str, str]]:
    """The filter label of a type: (message id, message ids of its values)."""
    if event_type in WORDINGS:
        return WORDINGS[event_type].label, {}
    area = title_of(area_of(event_type))
    return (GENERIC_LABEL, {"area": area}) if area else (GENERIC_LABEL_UNKNOWN_AREA, {})


def wording_of(event_type: str, detail_key: str) -> tuple[str, dict[str, str], bool]:
    """The sentence of an applied event: (message id, message ids of its
    plain values, whether it is the generic one)."""
    wording = WORDINGS.get(event_type)
    if wording is not None:
        return wording.details.get(detail_key, wording.done), {}, False
    area = title_of(area_of(event_type))
    return (GENERIC_DONE, {"area": area}, True) if area else (GENERIC_DONE_UNKNOWN_AREA, {}, True)


# Participation: what happens at tables and meetings. Only the steps that
# change a table for everyone show in an organisation admin's history; the
# evaluations never do (their answers are anonymous).
WORDINGS.update(
    {
        "participation.cancel_table": _w(lazy("Cancel a table"), lazy("%(actor)s cancelled a table")),
        "participation.give_back_chair": _w(
            lazy("Give back a chair"), lazy("%(actor)s gave back a chair"), history=False
        ),
        "participation.invite": _w(
            lazy("Invite to a table"), lazy("%(actor)s invited a colleague to a table"), history=False
        ),
        "participation.post_message": _w(
            lazy("Write in a table's thread"), lazy("%(actor)s wrote in a table's thread"), history=False
        ),
        "participation.make_real": _w(lazy("Make a practice table real"), lazy("%(actor)s made a practice table real")),
        "participation.leave": _w(lazy("Leave participation"), lazy("%(actor)s ended someone's participation")),
        "participation.rejoin": _w(lazy("Take part again"), lazy("%(actor)s took part again"), history=False),
        "participation.schedule_meeting": _w(
            lazy("Set a meeting's date and place"), lazy("%(actor)s set the date and place of a meeting")
        ),
        "participation.choose_roles": _w(
            lazy("Choose moderator and note-taker"), lazy("%(actor)s chose the moderator and note-taker of a meeting")
        ),
        "participation.assign_moderator": _w(
            lazy("Make an ambassador moderator"), lazy("%(actor)s made an ambassador the moderator of a meeting")
        ),
        "participation.add_guest": _w(lazy("Add a guest to a meeting"), lazy("%(actor)s added a guest to a meeting")),
        "participation.add_agenda_point": _w(
            lazy("Add an agenda point"), lazy("%(actor)s added an agenda point"), history=False
        ),
        "participation.move_agenda_point": _w(
            lazy("Move an agenda point"), lazy("%(actor)s moved an agenda point"), history=False
        ),
        "participation.remove_agenda_point": _w(
            lazy("Remove an agenda point"), lazy("%(actor)s removed an agenda point"), history=False
        ),
        "participation.start_meeting": _w(lazy("Start a meeting"), lazy("%(actor)s started a meeting")),
        "participation.save_minutes": _w(lazy("Save minutes"), lazy("%(actor)s saved minutes"), history=False),
        "participation.add_action_point": _w(
            lazy("Add an action point"), lazy("%(actor)s added an action point"), history=False
        ),
        "participation.update_action_point": _w(
            lazy("Change an action point"), lazy("%(actor)s changed an action point"), history=False
        ),
        "participation.close_meeting": _w(
            lazy("Close a meeting"), lazy("%(actor)s closed a meeting: its minutes were published")
        ),
        "participation.set_minutes_visibility": _w(
            lazy("Choose who reads minutes"), lazy("%(actor)s chose who reads the minutes of a meeting")
        ),
        "participation.record_outcome": _w(
            lazy("Write what was done"), lazy("%(actor)s wrote down what was done after a meeting")
        ),
        "participation.reset_calendar_feed": _w(
            lazy("Make a new calendar address"), lazy("%(actor)s made a new calendar address"), history=False
        ),
        "participation.submit_evaluation": _w(
            lazy("Answer an evaluation"), lazy("%(actor)s answered an evaluation"), history=False
        ),
        "participation.update_evaluation": _w(
            lazy("Change an evaluation"), lazy("%(actor)s changed an evaluation"), history=False
        ),
        "participation.nudge": _w(lazy("Remind someone to come back"), lazy("%(actor)s sent a reminder to %(target)s")),
    }
)
