"""Tables of participation (Werk-ID, seed 002): an organisation's set-up
(rooms, prices, coins, goal, fixed consultation moments, ambassadors per
subgroup, FAQ), the coin ledger, tables (proposals) with their seats,
messages and agenda, the meeting's minutes and action points, evaluations,
announcements and each person's mail settings.

Coins are a ledger (CoinEntry): a balance is the sum of a person's entries
in one organisation and one kind (real or play), never a column edited in
place. Writers that spend take turns on the person's Wallet row
(app.storage.db.lock), so concurrent purchases cannot overdraw it.

People are referred to by account (User). A person who leaves keeps their
rows, with `left_at` set on their seat: pages then show "a former
participant" instead of the name (app.domain.participation.leaving).
"""

from piccolo.columns import (
    UUID,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)

from app.storage.tables import Organisation, Record, Unit, User


class ParticipationSettings(Record, tablename="participation_settings"):
    """One per organisation that changed a default (app.domain.participation.setup
    holds the defaults, so an organisation works the day it is created)."""

    organisation = ForeignKey(references=Organisation, unique=True, on_delete=OnDelete.cascade, index=True)
    table_price = Integer(default=3)
    chair_price = Integer(default=1)
    coins_per_period = Integer(default=10)
    period = Varchar(length=10, default="month")  # month | quarter
    refill = Varchar(length=10, default="top_up")  # top_up (back to the amount) | add (added to what is left)
    min_chairs = Integer(default=2)
    max_chairs = Integer(default=10)
    practice_coins = Integer(default=10)
    updated_at = Timestamptz()


class Room(Record, tablename="room"):
    """A theme tables are opened in (the pilot's "kamers"), chosen per organisation."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=100)
    description = Text(default="")
    position = Integer(default=0)
    archived = Boolean(default=False)
    created_at = Timestamptz()


class Goal(Record, tablename="participation_goal"):
    """A collective goal: coins earned back through completed meetings
    between two dates, with what the organisation offers when it is reached."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=200)
    target_coins = Integer()
    reward = Text(default="")
    starts_on = Date()
    ends_on = Date()
    created_at = Timestamptz()


class ConsultationMoment(Record, tablename="consultation_moment"):
    """A fixed, recurring slot ("every first Tuesday at 14:00, canteen").
    weekday 0 = Monday; nth 1..4 = the nth such weekday of the month,
    5 = the last one, 0 = every week."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    unit = ForeignKey(references=Unit, null=True, default=None, on_delete=OnDelete.cascade)
    weekday = Integer()
    nth = Integer(default=1)
    time = Varchar(length=5)  # HH:MM, Brussels time
    duration_minutes = Integer(default=60)
    place = Varchar(length=200)
    active = Boolean(default=True)
    created_at = Timestamptz()


class AmbassadorPost(Record, tablename="ambassador_post"):
    """Who is the ambassador of a subgroup, and their deputy (one post per subgroup)."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    unit = ForeignKey(references=Unit, unique=True, on_delete=OnDelete.cascade)
    ambassador = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    deputy = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    updated_at = Timestamptz()


class Wallet(Record, tablename="wallet"):
    """The row spenders lock; the balance is the sum of the CoinEntry rows.
    Unique per organisation, user and kind (an index of the migration)."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=5)  # real | play
    created_at = Timestamptz()


class CoinEntry(Record, tablename="coin_entry"):
    """One movement of coins: positive in, negative out. `reason`: refill,
    table (opened one), chair (bought one), refund (table cancelled, chair
    given back, left participation), returned (meeting completed), practice
    (play coins for an introduction session)."""

    wallet = ForeignKey(references=Wallet, on_delete=OnDelete.cascade, index=True)
    amount = Integer()
    reason = Varchar(length=12)
    table_id = Integer(null=True, default=None, index=True)
    # The refill's period ("2026-12", "2026-Q4"): one refill per period (unique index).
    period = Varchar(length=8, null=True, default=None)
    command_id = UUID(null=True, default=None)
    created_at = Timestamptz()


class ParticipationTable(Record, tablename="participation_table"):
    """A table (proposal) and, once held, its meeting.

    phase: proposed (open for chairs) -> planned (a date is set) -> running
    (the meeting started) -> held (closed: minutes published, coins returned,
    evaluations open); cancelled (the opener or an admin withdrew it,
    coins refunded). A date change keeps the phase, the seats and the coins.
    """

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    room = ForeignKey(references=Room, on_delete=OnDelete.restrict, index=True)
    # The opener's subgroup (None: the whole organisation).
    unit = ForeignKey(references=Unit, null=True, default=None, on_delete=OnDelete.set_null, index=True)
    # Who paid and holds the opener's seat (the real author when opened on behalf).
    opener = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null, index=True)
    # Who typed it in: the opener, or the ambassador who opened it on behalf.
    opened_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    channel = Varchar(length=6, default="web")  # web | paper | sms | kiosk
    title = Varchar(length=200)
    about = Text(default="")
    why = Text(default="")
    preferred_moments = Text(default="")
    practice = Boolean(default=False)
    phase = Varchar(length=10, default="proposed", index=True)
    min_chairs = Integer(default=2)
    max_chairs = Integer(default=10)
    table_price = Integer(default=0)
    chair_price = Integer(default=0)
    starts_at = Timestamptz(null=True, default=None)
    duration_minutes = Integer(default=60)
    place = Varchar(length=200, default="")
    moment = ForeignKey(references=ConsultationMoment, null=True, default=None, on_delete=OnDelete.set_null)
    # The .ics SEQUENCE: raised on every change of date or place.
    sequence = Integer(default=0)
    moderator = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    note_taker = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    # Who may read the published minutes: organisation | subgroup | participants.
    visibility = Varchar(length=14, default="organisation")
    outcome = Text(default="")
    outcome_at = Timestamptz(null=True, default=None)
    started_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None, index=True)
    cancelled_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(index=True)
    updated_at = Timestamptz()


class Seat(Record, tablename="seat"):
    """A person at a table: the opener, a chair holder or a guest (an outside
    facilitator: no coins, no chair). Unique per table and user (an index of
    the migration). `refunded_at`: the chair was given back (its coins too)."""

    table = ForeignKey(references=ParticipationTable, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null, index=True)
    role = Varchar(length=6)  # opener | chair | guest
    coins = Integer(default=0)
    # Coins returned when the meeting was completed (so it happens once).
    returned_at = Timestamptz(null=True, default=None)
    refunded_at = Timestamptz(null=True, default=None)
    left_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class TableInvite(Record, tablename="table_invite"):
    """A colleague invited to a table by its opener or a chair holder."""

    table = ForeignKey(references=ParticipationTable, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    invited_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz()


class TableMessage(Record, tablename="table_message"):
    """The thread before the meeting (agreeing on a date); none during it."""

    table = ForeignKey(references=ParticipationTable, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    body = Text()
    created_at = Timestamptz()


class AgendaPoint(Record, tablename="agenda_point"):
    table = ForeignKey(references=ParticipationTable, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    text = Varchar(length=300)
    position = Integer(default=0)
    created_at = Timestamptz()


class Minutes(Record, tablename="minutes"):
    """The minutes of a table's meeting: one text, saved with a version so a
    save based on an older version is shown as a conflict, never overwrites."""

    table = ForeignKey(references=ParticipationTable, unique=True, on_delete=OnDelete.cascade, index=True)
    body = Text(default="")
    version = Integer(default=0)
    updated_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    updated_at = Timestamptz()
    published_at = Timestamptz(null=True, default=None)


class ActionPoint(Record, tablename="action_point"):
    table = ForeignKey(references=ParticipationTable, on_delete=OnDelete.cascade, index=True)
    what = Varchar(length=300)
    # Who takes it on: a participant, or a name typed in.
    who = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null, index=True)
    who_text = Varchar(length=100, default="")
    due_on = Date(null=True, default=None)
    status = Varchar(length=10, default="open")  # open | doing | help | done
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ActionPointChange(Record, tablename="action_point_change"):
    """The history of an action point after publication (status, done, help)."""

    action_point = ForeignKey(references=ActionPoint, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    field = Varchar(length=20)
    old = Varchar(length=300, default="")
    new = Varchar(length=300, default="")
    at = Timestamptz()


class Evaluation(Record, tablename="evaluation"):
    """One participant's answers to seed 002's adapted evaluation (section 4.5).
    Unique per table and user (an index of the migration). Scales: process
    and duration 0..100 (sliders), satisfaction 1..5 (faces)."""

    table = ForeignKey(references=ParticipationTable, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null, index=True)
    # Kept beside the table for the barometer's grouping without a join.
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    process = Integer()
    satisfaction = Integer()
    sentence = Varchar(length=300, default="")
    heard = Boolean()
    opinion = Boolean()
    expected = Boolean()
    drifted = Boolean()
    drift_helped = Boolean(null=True, default=None)
    duration = Integer()
    other = Text(default="")
    created_at = Timestamptz(index=True)
    updated_at = Timestamptz()


class Announcement(Record, tablename="announcement"):
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    unit = ForeignKey(references=Unit, null=True, default=None, on_delete=OnDelete.cascade)
    author = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    title = Varchar(length=200)
    body = Text(default="")
    created_at = Timestamptz(index=True)


class FaqEntry(Record, tablename="faq_entry"):
    """A question of an organisation's FAQ, in one language."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    language = Varchar(length=2)
    question = Varchar(length=300)
    answer = Text()
    position = Integer(default=0)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class MailSetting(Record, tablename="mail_setting"):
    """How a person wants one kind of participation mail: instant, daily,
    weekly or off. No row: the kind's default. Unique per user and kind."""

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=20)
    frequency = Varchar(length=8)
    updated_at = Timestamptz()


class Nudge(Record, tablename="nudge"):
    """An ambassador reminded a person who registered but never came back."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    at = Timestamptz()


class Departure(Record, tablename="participation_departure"):
    """A person left participation in an organisation (themselves, or removed
    by an admin after leaving the job)."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.set_null)
    at = Timestamptz()


class CalendarFeed(Record, tablename="calendar_feed"):
    """The secret of a person's subscribable calendar feed of their meetings;
    a new salt makes the old address stop working."""

    user = ForeignKey(references=User, unique=True, on_delete=OnDelete.cascade, index=True)
    salt = Varchar(length=32)
    created_at = Timestamptz()


class DigestSent(Record, tablename="digest_sent"):
    """A digest mailed to a person for one period ("2026-W49", "2026-12-03"),
    so the job sends it once (unique per user and period)."""

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    period = Varchar(length=12)
    at = Timestamptz()


TABLES = [
    ParticipationSettings,
    Room,
    Goal,
    ConsultationMoment,
    AmbassadorPost,
    Wallet,
    CoinEntry,
    ParticipationTable,
    Seat,
    TableInvite,
    TableMessage,
    AgendaPoint,
    Minutes,
    ActionPoint,
    ActionPointChange,
    Evaluation,
    Announcement,
    FaqEntry,
    MailSetting,
    Nudge,
    Departure,
    CalendarFeed,
    DigestSent,
]
