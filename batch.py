"""`python -m batch ingest KIND FILE`: `flask ingest` in a process with only the system of record.

The composition root of batch loads: the same subcommands, options, reports and exit statuses
as `flask --app app ingest`, in a process that starts without importing the pages, the APIs
and their schemas (system_of_record.py builds what it has).
"""

import gc

import click
from flask.cli import ScriptInfo, load_dotenv

from ingest.cli import ingest_cli

batch_cli = click.Group("batch", help="Batch loads on the system of record alone.")
batch_cli.add_command(ingest_cli)


def records_app():
    """The system of record's app, built once the command line is read."""
    # Imported here, not above: a load may begin reading its file in a second process while
    # the command line is read (ingest.kinds: begin), and that process never needs the models.
    # Every object the imports make lives as long as the process: the collections they would
    # trigger on the way free nothing.
    gc.disable()
    try:
        from system_of_record import create_records_app

        return create_records_app()
    finally:
        gc.enable()


def main() -> None:
    """Run as `flask` would: .env read, the app built for the command, its context around it."""
    load_dotenv()  # as the flask command does, so both read the same settings
    try:
        batch_cli.main(prog_name="python -m batch", obj=ScriptInfo(create_app=records_app))
    finally:
        # The process ends here: the interpreter's last collection on exit would walk every
        # object (the models, SQLAlchemy, what the load kept) only for them all to be freed.
        gc.freeze()


if __name__ == "__main__":
    main()
