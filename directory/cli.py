"""`flask demo generate`: a synthetic behavioral-health directory."""

from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Generate a demo directory.")
