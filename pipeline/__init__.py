"""newspipe's orchestration: the nightly run, the command line, the demo, the server."""

__version__ = "0.1.0"     # the one place of the version (pyproject.toml reads it: dynamic = ["version"])
