"""'newspipe serve': Datasette over the archive, read-only, on 127.0.0.1 by default."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

METADATA = {
    "title": "newspipe archive",
    "description": "Korean regional news with English translations, side by side.",
    "settings": {"allow_download": False, "default_page_size": 50},
    "databases": {
        "*": {
            "tables": {
                "articles": {
                    "description": "One row per article: Korean and English side by side, with stage status.",
                    "fts_table": "articles_fts_en", "fts_pk": "id",
                    "sortable_columns": ["published_at", "id"],
                },
                "sentences": {"description": "Kiwi sentences of each article with their English."},
            },
            "queries": {
                "latest": {
                    "title": "Latest articles",
                    "sql": "select id, published_at, source_id, title_ko, title_en from articles "
                           "where clean_status='done' order by published_at desc limit 100",
                },
                "by_source": {
                    "title": "Articles per source",
                    "sql": "select source_id, count(*) as articles, sum(translate_status='done') as translated "
                           "from articles group by source_id order by articles desc",
                },
            },
        }
    },
}


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8001) -> None:
    import subprocess
    import sys
    meta = Path(tempfile.mkdtemp(prefix="newspipe-serve-")) / "metadata.json"
    meta.write_text(json.dumps(METADATA, ensure_ascii=False), encoding="utf-8")
    cmd = [sys.executable, "-m", "datasette", "serve", "--immutable", db_path, "--host", host, "--port",
           str(port), "--metadata", str(meta), "--setting", "allow_download", "off"]
    raise SystemExit(subprocess.call(cmd))
