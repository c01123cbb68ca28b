"""The health barometer pages: the organisation's barometer for a period
(trends per month, subgroup and room as SVG charts with their numbers in a
table beside them, the goal, the open answers without names), one meeting's
score, and the help page with the formula. For report holders
(participation.report: org_admin, hr, ambassador); a meeting's own score
also for the people who sat at its table."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app.domain.core.commands import utcnow
from app.domain.core.ids import parse_id
from app.domain.core.reasons import Reason, message
from app.domain.participation import barometer
from app.domain.participation.barometer import Period, Row
from app.i18n import TIMEZONE, _, month_name
from app.web.core.context import signed_in_user
from app.web.core.forms import path_id, query_value
from app.web.core.guards import permission
from app.web.core.pages import page

REPORT = "participation.report"


def _dimension_labels() -> dict[str, str]:
    return {
        "timing": _("Timing"),
        "focus": _("Focus"),
        "involvement": _("Involvement"),
        "sentiment": _("Sentiment"),
    }


async def report_organisation(request: Request) -> tuple[int, list[dict]]:
    """The organisation a report page is about (?organisation=<id>, default
    the first one the person may report on) and the ones to switch to; an
    organisation outside their reports answers 404."""
    user = signed_in_user(request)
    organisations = await barometer.report_organisations(user.organisations_with(REPORT))
    if not organisations:
        raise NotFoundException()
    wanted = parse_id(request.query_params.get("organisation")) or organisations[0]["id"]
    if wanted not in {org["id"] for org in organisations}:
        raise NotFoundException()
    return wanted, organisations


def today() -> date:
    return utcnow().astimezone(TIMEZONE).date()


def period_of(request: Request) -> tuple[Period, dict[str, str], dict[str, str]]:
    """The period asked for, the form's values and its errors (messages)."""
    values = {"from": query_value(request, "from", 20), "to": query_value(request, "to", 20)}
    period, problems = barometer.read_period(values["from"], values["to"], today())
    errors = {name: message(Reason(code, name), "participation") for name, code in problems.items()}
    if not values["from"] and not values["to"]:
        values = {"from": period.starts_on.isoformat(), "to": period.ends_on.isoformat()}
    return period, values, errors


def month_label(key: str) -> str:
    year, month = key.split("-")
    return f"{month_name(int(month))} {year}"


# -- charts (geometry only; the template draws them) ---------------------

BAR_WIDTH = 360
BAR_SPACE = 300  # the length of a bar of 100
ROW_HEIGHT = 46


def bar_chart(rows: list[Row], labels: dict[Any, str] | None = None) -> dict:
    """A horizontal bar chart of total scores, one row per group; a group
    without enough answers gets its label and no bar."""
    bars = []
    for index, row in enumerate(rows):
        top = 10 + index * ROW_HEIGHT
        label = (labels or {}).get(row.key, row.label)
        score = row.score
        bars.append(
            {
                "label": label,
                "label_y": top + 14,
                "bar_y": top + 20,
                "width": round(BAR_SPACE * (score.total or 0) / 100, 1) if score.enough else 0,
                "value": score.total if score.enough else None,
                "value_x": round(BAR_SPACE * (score.total or 0) / 100, 1) + 6 if score.enough else 0,
            }
        )
    return {
        "width": BAR_WIDTH,
        "height": 10 + len(rows) * ROW_HEIGHT + 24,
        "bars": bars,
        "axis_y": 10 + len(rows) * ROW_HEIGHT,
    }


LINE_LEFT, LINE_RIGHT, LINE_TOP, LINE_BOTTOM = 36.0, 346.0, 16.0, 166.0


def line_chart(rows: list[Row]) -> dict:
    """Total score per month as points joined by lines (a month without
    enough answers breaks the line and has no point)."""
    count = len(rows)
    step = (LINE_RIGHT - LINE_LEFT) / max(1, count - 1)
    every = 1 if count <= 12 else (2 if count <= 24 else 3)
    points: list[dict] = []
    labels: list[dict] = []
    segments: list[str] = []
    current: list[str] = []
    for index, row in enumerate(rows):
        x = round(LINE_LEFT + index * step if count > 1 else (LINE_LEFT + LINE_RIGHT) / 2, 1)
        year, month = row.key.split("-")
        shown = index % every == 0
        labels.append(
            {"x": x, "text": month if shown else "", "year": year if shown and (index == 0 or month == "01") else ""}
        )
        if row.score.enough:
            y = round(LINE_BOTTOM - (LINE_BOTTOM - LINE_TOP) * (row.score.total or 0) / 100, 1)
            points.append({"x": x, "y": y, "value": row.score.total, "label": month_label(row.key)})
            current.append(f"{x},{y}")
        else:
            if len(current) > 1:
                segments.append(" ".join(current))
            current = []
    if len(current) > 1:
        segments.append(" ".join(current))
    ticks = [{"value": v, "y": round(LINE_BOTTOM - (LINE_BOTTOM - LINE_TOP) * v / 100, 1)} for v in (0, 50, 100)]
    return {
        "width": 360,
        "height": 200,
        "left": LINE_LEFT,
        "right": LINE_RIGHT,
        "top": LINE_TOP,
        "bottom": LINE_BOTTOM,
        "points": points,
        "segments": segments,
        "labels": labels,
        "ticks": ticks,
    }


@get("/participation/barometer", opt=permission(REPORT), include_in_schema=False)
async def barometer_page(request: Request) -> Response:
    organisation_id, organisations = await report_organisation(request)
    period, values, errors = period_of(request)
    report = await barometer.organisation_report(organisation_id, period, whole=_("Whole organisation"))
    context = {
        "organisation_id": organisation_id,
        "organisations": organisations,
        "report": report,
        "values": values,
        "errors": errors,
        "dimension_labels": _dimension_labels(),
        "months": [{"row": row, "label": month_label(row.key)} for row in report.months],
        "month_chart": line_chart(report.months),
        "subgroup_chart": bar_chart(report.subgroups),
        "room_chart": bar_chart(report.rooms),
        "meeting_links": [f"/participation/barometer/tables/{row.key}" for row in report.meetings],
        "min_answers": barometer.MIN_ANSWERS,
    }
    return page(
        request,
        "participation/barometer/index.html",
        context,
        partial="participation/barometer/_report.html",
        status_code=422 if errors else 200,
    )


# Every signed-in person passes the guard; the handler answers 404 unless
# they report on the table's organisation or had a seat at the table.
@get("/participation/barometer/tables/{table_id:int}", opt=permission("account.home"), include_in_schema=False)
async def meeting_barometer(request: Request, table_id: FromPath[int]) -> Response:
    """One meeting's score: for report holders of its organisation and the people at its table."""
    user = signed_in_user(request)
    table = await barometer.table_of(path_id(table_id))
    if table is None:
        raise NotFoundException()
    reports = user.organisations_with(REPORT)
    may = reports is None or table["organisation"] in reports
    if not may and not await barometer.sits_at(table["id"], user.id):
        raise NotFoundException()
    score = await barometer.meeting_score(table["id"]) if table["phase"] == "held" else barometer.NOT_ENOUGH
    context = {
        "table": table,
        "score": score,
        "dimension_labels": _dimension_labels(),
        "min_answers": barometer.MIN_ANSWERS,
        "reports": may,
    }
    return page(request, "participation/barometer/meeting.html", context)


@get("/participation/barometer/help", opt=permission(REPORT), include_in_schema=False)
async def barometer_help(request: Request) -> Response:
    context = {
        "involvement": barometer.INVOLVEMENT,
        "sentiment": barometer.SENTIMENT,
        "total": barometer.TOTAL,
        "drift": barometer.DRIFT,
        "min_answers": barometer.MIN_ANSWERS,
        "dimension_labels": _dimension_labels(),
    }
    return page(request, "participation/barometer/help.html", context)


handlers: list = [barometer_page, meeting_barometer, barometer_help]
