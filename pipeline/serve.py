"""'newspipe serve': Datasette over the archive, read-only, on 127.0.0.1 by default.

The plugin db/datasette_plugin.py (an entry point of this package) adds the search page /-/search, the
article page /-/article/<id>, the metadata and the canned queries (no metadata file).
"""
from __future__ import annotations

import subprocess
import sys

# suggest_facets off: at 100,000 articles suggestions cost 3.8-4.0 s per table page (0.04 s without);
# long text cells cut to 300 characters (the article page has all of it).
SETTINGS = {"allow_download": "off", "allow_csv_stream": "off", "default_page_size": "50",
            "max_returned_rows": "1000", "sql_time_limit_ms": "3000", "suggest_facets": "off",
            "truncate_cells_html": "300"}


def command(db_path: str, host: str, port: int) -> list[str]:
    cmd = [sys.executable, "-m", "datasette", "serve", db_path, "--host", host, "--port", str(port)]
    for k, v in SETTINGS.items():
        cmd += ["--setting", k, v]
    return cmd


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8001) -> None:
    raise SystemExit(subprocess.call(command(db_path, host, port)))
