"""'newspipe serve': Datasette over the archive, read-only, on 127.0.0.1 by default.

The plugin db/datasette_plugin.py (an entry point of this package) adds the ko_query() SQL function
for Korean search and the /-/article/<id> page with Korean and English side by side.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ARTICLE_COLUMNS = {
    "id": "Article number (its page: /-/article/<id>)",
    "url": "The article's URL as discovered", "canonical_url": "One URL per article (tracking parameters out)",
    "source_id": "Source in sources.toml", "outlet": "Newspaper or broadcaster", "section": "Section",
    "authors": "Reporters (names only), JSON list", "published_at": "Published (KST)", "updated_at": "Updated (KST)",
    "title_ko": "Korean title", "subtitle_ko": "Korean subtitle", "body_ko": "Korean body, one paragraph a line",
    "title_en": "English title", "subtitle_en": "English subtitle", "body_en": "English body",
    "keywords": "Top nouns with counts (Kiwi), JSON", "entities": "Proper nouns (Kiwi), JSON",
    "captions": "Photo captions with credits, JSON", "removed": "Boilerplate the cleaner removed, with reasons",
    "translate_status": "pending, done, retry (failed, tried again next run) or failed",
    "translation_provenance": "machine or publisher",
    "translation_backend": "Translation service",
}


def metadata(db_name: str) -> dict:
    pick = "a.id as article, a.published_at, a.source_id, a.title_ko, a.title_en"
    return {
        "title": "newspipe archive",
        "description": "Korean regional news with English translations, side by side. Open an article number "
                       "for its Korean and English sentence by sentence.",
        "databases": {db_name: {
            "description": "The newspipe archive (read-only).",
            "tables": {
                "articles": {"description": "One row per article: Korean and English side by side, with the "
                                            "status of each stage.", "columns": ARTICLE_COLUMNS,
                             "sortable_columns": ["published_at", "id"], "label_column": "title_ko"},
                "sentences": {"description": "Kiwi sentences of each article, with offsets into the Korean body, "
                                             "morphemes and English.",
                              "columns": {"ko": "Korean sentence", "en": "English", "para": "Paragraph number",
                                          "morphs": "Kiwi morphemes as form/TAG@offset"}},
                "translations": {"description": "Every translation ever stored (machine and publisher)."},
                "pages": {"description": "Every fetch: status, error, validators; bodies in page_bodies."},
                "sources": {"description": "The outlets in sources.toml."},
                "runs": {"description": "Nightly runs and their summaries."},
                "ko_forms": {"description": "Korean words as Kiwi analysed them in the archive (the search "
                                            "query analyser reads this)."},
            },
            "queries": {
                "korean_search": {
                    "title": "Korean search (전주 finds 전주시)",
                    "description": "Words are matched by their Kiwi morphemes as a prefix; \"phrases\", OR and "
                                   "NOT work. Ranked by BM25.",
                    "sql": f"select {pick} from articles_fts_ko f join articles a on a.id = f.rowid "
                           "where articles_fts_ko match ko_query(:q) order by f.rank limit 100",
                },
                "english_search": {
                    "title": "English search",
                    "sql": f"select {pick}, snippet(articles_fts_en, 1, '[', ']', '…', 12) as snippet "
                           "from articles_fts_en f join articles a on a.id = f.rowid "
                           "where articles_fts_en match :q order by f.rank limit 100",
                },
                "latest": {
                    "title": "Latest articles",
                    "sql": f"select {pick}, a.translate_status from articles a where a.clean_status = 'done' "
                           "order by a.published_at desc limit 100",
                },
                "by_source": {
                    "title": "Articles per source",
                    "sql": "select source_id, count(*) as articles, sum(translate_status = 'done') as translated, "
                           "max(published_at) as newest from articles group by source_id order by articles desc",
                },
                "by_keyword": {
                    "title": "Articles by keyword (a Kiwi noun, e.g. 새만금)",
                    "sql": f"select {pick} from articles a where exists (select 1 from json_each(a.keywords) k "
                           "where json_extract(k.value, '$[0]') = :keyword) order by a.published_at desc limit 100",
                },
            },
        }},
    }


SETTINGS = {"allow_download": "off", "allow_csv_stream": "off", "default_page_size": "50",
            "max_returned_rows": "1000", "sql_time_limit_ms": "3000"}


def command(db_path: str, host: str, port: int, meta_path: Path) -> list[str]:
    cmd = [sys.executable, "-m", "datasette", "serve", db_path, "--host", host, "--port", str(port),
           "--metadata", str(meta_path)]
    for k, v in SETTINGS.items():
        cmd += ["--setting", k, v]
    return cmd


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8001) -> None:
    meta = Path(tempfile.mkdtemp(prefix="newspipe-serve-")) / "metadata.json"
    meta.write_text(json.dumps(metadata(Path(db_path).stem), ensure_ascii=False), encoding="utf-8")
    raise SystemExit(subprocess.call(command(db_path, host, port, meta)))
