"""`python -m batch ingest KIND FILE`: `flask ingest` in a process with only the system of record.

The composition root of batch loads: the same subcommands, options, reports and exit statuses
as `flask --app app ingest`, in a process that starts without importing the pages, the APIs
and their schemas (system_of_record.py builds what it has).
"""

import click
from flask.cli import ScriptInfo, load_dotenv

from ingest.cli import ingest_cli
from system_of_record import create_records_app

batch_cli = click.Group("batch", help="Batch loads on the system of record alone.")
batch_cli.add_command(ingest_cli)


def main() -> None:
    """Run as `flask` would: .env read, the app made once, its context around the command."""
    load_dotenv()  # as the flask command does, so both read the same settings
    app = create_records_app()
    with app.app_context():
        batch_cli.main(prog_name="python -m batch", obj=ScriptInfo(create_app=lambda: app))


if __name__ == "__main__":
    main()
