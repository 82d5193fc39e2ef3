-- Crawl state of thidua's crawler (crawl/state.py), kept in the archive's own SQLite file.
-- Every state change is its own short transaction, so a crawler killed at any moment (kill -9)
-- resumes from exactly where it stopped. All timestamps are ISO 8601 UTC ("...+00:00").

-- The frontier: every URL the crawler knows, with its fetch state.
CREATE TABLE IF NOT EXISTS crawl_urls (
    url             TEXT PRIMARY KEY,       -- absolute URL as fetched (fragment removed)
    site            TEXT NOT NULL,          -- profile name ("kiemsat.vn", ...)
    kind            TEXT NOT NULL,          -- 'article' | 'listing' | 'sitemap' | 'feed'
    status          TEXT NOT NULL DEFAULT 'queued',
                                            -- queued:  to fetch
                                            -- fetched: body in the raw store, not yet in the archive
                                            -- done:    in the archive (or, for non-articles, read)
                                            -- failed:  gave up for now (reason says why; retried next run)
                                            -- skipped: never to fetch / ingest (robots, 404, too large, before --since...)
    reason          TEXT,                   -- why failed/skipped, human readable ("HTTP 500 after 4 attempts")
    attempts        INTEGER NOT NULL DEFAULT 0,  -- HTTP requests made for this URL, all runs together
    http_status     INTEGER,                -- status of the last response (304 kept as 304)
    final_url       TEXT,                   -- URL after redirects, when different
    etag            TEXT,                   -- validators of the last 200, sent back with --refresh
    last_modified   TEXT,
    content_type    TEXT,                   -- Content-Type header of the last 200 (charset for re-parsing)
    sha256          TEXT,                   -- raw store key of the last 200 body
    section         TEXT,                   -- where it was found: section name, 'sitemap', 'feed', 'start'
    hint_published  TEXT,                   -- date given by the listing / sitemap / feed (ISO), if any
    published       TEXT,                   -- the article's own publication time once parsed
    discovered_at   TEXT NOT NULL,
    fetched_at      TEXT,                   -- last response (200 or 304)
    run_id          INTEGER                 -- crawl_runs.id of the run that last changed the row
);
CREATE INDEX IF NOT EXISTS crawl_urls_site_kind_status ON crawl_urls (site, kind, status);
CREATE INDEX IF NOT EXISTS crawl_urls_sha256 ON crawl_urls (sha256);

-- Paging progress of each listing section, so an interrupted walk resumes instead of restarting.
CREATE TABLE IF NOT EXISTS crawl_sections (
    site            TEXT NOT NULL,
    section         TEXT NOT NULL,          -- section name of the profile
    complete        INTEGER NOT NULL DEFAULT 0,  -- 1 once the walk reached the last page
    next_page       INTEGER NOT NULL DEFAULT 1,  -- first page of the unfinished back-fill walk
    head_page       INTEGER,                -- an unfinished head walk must reach this page before stopping
    updated_at      TEXT,
    PRIMARY KEY (site, section)
);

-- One row per crawl run (what was asked, what happened).
CREATE TABLE IF NOT EXISTS crawl_runs (
    id              INTEGER PRIMARY KEY,
    started_at      TEXT NOT NULL,
    finished_at     TEXT,                   -- NULL: still running, or killed
    sites           TEXT NOT NULL,          -- space-separated profile names
    options         TEXT,                   -- JSON of the options
    requests        INTEGER NOT NULL DEFAULT 0,
    new_articles    INTEGER NOT NULL DEFAULT 0,
    errors          INTEGER NOT NULL DEFAULT 0,
    outcome         TEXT                    -- 'finished' | 'max-articles' | 'interrupted'
);
