"""The `werkpas` command: serve, migrate, demo, worker, createadmin, commands, command, ..."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import uuid

from app.config import ConfigError, Settings, load_settings, set_settings


def _settings() -> Settings:
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"werkpas: configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    set_settings(settings)
    return settings


def _require_migrated(settings: Settings) -> None:
    from app.storage.migrate import NotMigrated, check_migrated

    try:
        asyncio.run(check_migrated(settings))
    except NotMigrated as problem:
        print(f"werkpas: {problem}", file=sys.stderr)
        raise SystemExit(2) from None
    except OSError as error:
        print(f"werkpas: cannot reach the database: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_serve(args: argparse.Namespace) -> int:
    settings = _settings()
    _require_migrated(settings)
    from granian import Granian
    from granian.constants import Interfaces, Loops

    workers = args.workers or int(os.environ.get("WERKPAS_WORKERS", "1"))
    print(f"Werkpas serving on http://{settings.host}:{settings.port}", flush=True)
    Granian(
        target="app.main:app",
        address=settings.host,
        port=settings.port,
        interface=Interfaces.ASGI,
        workers=workers,
        loop=Loops.uvloop,
        log_enabled=True,
        log_access=False,
    ).serve()
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = _settings()
    from app.storage.migrate import migrate

    asyncio.run(migrate(settings, quiet=not args.verbose))
    print("Database is up to date.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    settings = _settings()
    _require_migrated(settings)
    from app.demo import load_demo

    asyncio.run(load_demo(settings))
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    settings = _settings()
    _require_migrated(settings)
    from app.domain.jobs.worker import run_worker_forever

    asyncio.run(run_worker_forever(settings, once=args.once))
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    settings = _settings()
    _require_migrated(settings)
    from app.domain.admin.cli import create_platform_admin

    return asyncio.run(create_platform_admin(settings, email=args.email, name=args.name, language=args.language))


def cmd_invitations_print(args: argparse.Namespace) -> int:
    settings = _settings()
    _require_migrated(settings)
    from pathlib import Path

    from app.cli_print import print_invitations

    return asyncio.run(print_invitations(settings, args.org, args.run, Path(args.out)))


def cmd_import_staff(args: argparse.Namespace) -> int:
    settings = _settings()
    _require_migrated(settings)
    from app.cli_import import import_staff
    from app.domain.registry import load_handlers
    from app.storage import db

    load_handlers()
    db.configure(settings)

    async def run() -> int:
        await db.connect()
        try:
            return await import_staff(args.file, args.org, args.dry_run, args.match)
        finally:
            await db.disconnect()

    return asyncio.run(run())


def cmd_apikey(args: argparse.Namespace) -> int:
    settings = _settings()
    _require_migrated(settings)
    from app import cli_apikey
    from app.storage import db

    db.configure(settings)

    async def run() -> int:
        await db.connect()
        try:
            if args.apikey_command == "create":
                return await cli_apikey.create_key(args.org, args.name)
            return await cli_apikey.revoke_key(args.key)
        finally:
            await db.disconnect()

    return asyncio.run(run())


def cmd_commands(args: argparse.Namespace) -> int:
    from app.cli_commands import list_commands

    return list_commands(args.json)


def cmd_command(args: argparse.Namespace) -> int:
    settings = _settings()
    _require_migrated(settings)
    from app.cli_commands import run_command
    from app.storage import db

    db.configure(settings)

    async def run() -> int:
        await db.connect()
        try:
            return await run_command(args.type, args.as_email, args.payload, args.id)
        finally:
            await db.disconnect()

    return asyncio.run(run())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="werkpas", description="Werkpas: worker passport, participation and employer portal."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the web application (HOST, PORT from the environment)")
    serve.add_argument("--workers", type=int, default=0, help="server processes (default WERKPAS_WORKERS or 1)")
    serve.set_defaults(func=cmd_serve)

    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.add_argument("--verbose", action="store_true")
    migrate.set_defaults(func=cmd_migrate)

    demo = sub.add_parser("demo", help="load the demo data (idempotent)")
    demo.set_defaults(func=cmd_demo)

    worker = sub.add_parser("worker", help="run background jobs in this process")
    worker.add_argument("--once", action="store_true", help="run the jobs that are due now, then stop")
    worker.set_defaults(func=cmd_worker)

    admin = sub.add_parser("createadmin", help="create a platform admin and send a set-password link")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", required=True)
    admin.add_argument("--language", default="nl", choices=["nl", "fr", "en"])
    admin.set_defaults(func=cmd_createadmin)

    invitations = sub.add_parser("invitations", help="invitations: print sheets")
    invitations_sub = invitations.add_subparsers(dest="invitations_command", required=True)
    print_sheets = invitations_sub.add_parser(
        "print", help="write the invitation sheets of an organisation (or one import run) to a PDF"
    )
    print_sheets.add_argument("--org", required=True, metavar="SLUG", help="the organisation's slug")
    print_sheets.add_argument(
        "--run", type=int, default=None, metavar="ID", help="only the invitations of this import run"
    )
    print_sheets.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the PDF")
    print_sheets.set_defaults(func=cmd_invitations_print)
    imports = sub.add_parser("import-staff", help="bulk registration from a .csv or .xlsx list (result codes 1-4)")
    imports.add_argument("file", help="the list: .xlsx or .csv")
    imports.add_argument("--org", required=True, help="the organisation's short name (slug)")
    imports.add_argument("--dry-run", action="store_true", help="show the result per row, change nothing")
    imports.add_argument(
        "--match", action="store_true", help="only people already on the organisation's roster (others get code 3)"
    )
    imports.set_defaults(func=cmd_import_staff)

    apikey = sub.add_parser("apikey", help="API keys of an organisation: make one (printed once) or revoke one")
    apikey_sub = apikey.add_subparsers(dest="apikey_command", required=True)
    create_key = apikey_sub.add_parser("create", help="make a read-only API key; prints it once, on standard output")
    create_key.add_argument("--org", required=True, metavar="SLUG", help="the organisation's slug")
    create_key.add_argument("--name", required=True, metavar="NAME", help="what the key is for, e.g. the system")
    create_key.set_defaults(func=cmd_apikey)
    revoke_key = apikey_sub.add_parser("revoke", help="revoke an API key: its next request is refused")
    revoke_key.add_argument("key", metavar="KEY", help="the key's id, its prefix (12 characters after wpk_) or the key")
    revoke_key.set_defaults(func=cmd_apikey)

    commands = sub.add_parser("commands", help="list every command type: version, payload schema, reason codes")
    commands.add_argument("--json", action="store_true", help="the catalogue as JSON (as /schema/commands.json)")
    commands.set_defaults(func=cmd_commands)

    command = sub.add_parser(
        "command", help="run one command as a user, print the outcome as JSON (exit 0 applied, 1 rejected, 2 invalid)"
    )
    command.add_argument("type", metavar="TYPE", help="the command type, e.g. admin.create_organisation")
    command.add_argument("--as", dest="as_email", required=True, metavar="EMAIL", help="the acting user's e-mail")
    command.add_argument("--payload", required=True, metavar="JSON", help="the payload, a JSON object")
    command.add_argument(
        "--id", type=uuid.UUID, default=None, metavar="UUID", help="the command id (the same id again: first outcome)"
    )
    command.set_defaults(func=cmd_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
