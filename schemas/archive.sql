-- thidua archive schema (SQLite). The one documented place for the archive's tables, keys,
-- indexes and views; thidua/archive.py applies it. The crawler's frontier and fetch state are
-- in schemas/crawl.sql, in the same database file.
--
-- Conventions
--   * every fact row names its article (article_id) and the character span of its evidence
--     (start, end) in articles.body: the exact text the extractor read;
--   * dictionary tables (units, clusters, officials, slogans, awards) hold one row per thing;
--     *_mentions tables hold one row per statement in one article;
--   * re-extracting an article deletes its mention rows and writes new ones in one transaction.

CREATE TABLE IF NOT EXISTS meta (            -- key/value facts about the archive itself
    key   TEXT PRIMARY KEY,                  -- 'schema_version', 'created_at'
    value TEXT
);

CREATE TABLE IF NOT EXISTS articles (
    id                INTEGER PRIMARY KEY,
    url               TEXT NOT NULL UNIQUE,  -- canonical URL; file:<path> for a local file
    site              TEXT,                  -- profile name: kiemsat.vn, baovephapluat.vn, liferay, text …
    title             TEXT,
    lead              TEXT,
    published         TEXT,                  -- ISO 8601 (+07:00 when a time is known)
    author            TEXT,
    body              TEXT NOT NULL,         -- the text the extractor read (evidence offsets index into it)
    raw_sha256        TEXT,                  -- sha256 of the raw page (the raw store's address)
    text_sha256       TEXT NOT NULL,         -- sha256 of body
    emulation_year    INTEGER,               -- the emulation year the article is about
    fetched_at        TEXT,
    extracted_at      TEXT NOT NULL,
    extractor_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS articles_site ON articles(site);

CREATE TABLE IF NOT EXISTS provinces (       -- the 63 pre-2025 provinces and their post-merger unit
    name      TEXT PRIMARY KEY,              -- "Đồng Tháp"
    kind      TEXT NOT NULL,                 -- tỉnh | thành phố
    name_2025 TEXT NOT NULL,                 -- the unit from 1 July 2025 (Resolution 202/2025/QH15)
    kind_2025 TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS units (           -- procuracy units as the output contract writes them
    id       INTEGER PRIMARY KEY,
    label    TEXT NOT NULL UNIQUE,           -- "Đồng Tháp", "huyện Phú Tân", "VKSND cấp cao tại Hà Nội", "Phòng 11"
    level    TEXT NOT NULL,                  -- tỉnh | huyện | thị xã | thành phố | quận | cấp cao | tối cao | quân sự | phòng | khu vực
    province TEXT REFERENCES provinces(name) -- for a provincial procuracy, its province
);

CREATE TABLE IF NOT EXISTS clusters (        -- emulation clusters (Cụm) and blocs (Khối)
    id     INTEGER PRIMARY KEY,
    kind   TEXT NOT NULL CHECK (kind IN ('cum', 'khoi')),
    number INTEGER,                          -- NULL for an unnumbered bloc ("Khối thi đua cấp phòng")
    parent TEXT NOT NULL DEFAULT ''          -- who runs the system: "VKSND tối cao", "VKSND tỉnh X", '' unknown
);
CREATE UNIQUE INDEX IF NOT EXISTS clusters_key ON clusters(kind, ifnull(number, -1), parent);

CREATE TABLE IF NOT EXISTS cluster_years (   -- one article's statement about a cluster in a year
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    cluster_id      INTEGER NOT NULL REFERENCES clusters(id),
    year            INTEGER,
    leader_unit_id  INTEGER REFERENCES units(id),   -- Cụm trưởng / Khối trưởng
    deputy_unit_id  INTEGER REFERENCES units(id),   -- Cụm phó / Khối phó
    start           INTEGER, "end" INTEGER,          -- the cluster mention
    leader_start    INTEGER, leader_end INTEGER,     -- the leader statement
    deputy_start    INTEGER, deputy_end INTEGER
);
CREATE INDEX IF NOT EXISTS cluster_years_key ON cluster_years(cluster_id, year);
CREATE INDEX IF NOT EXISTS cluster_years_article ON cluster_years(article_id);

CREATE TABLE IF NOT EXISTS memberships (     -- unit U is a member of cluster C in year Y, says article A
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    cluster_id INTEGER NOT NULL REFERENCES clusters(id),
    year       INTEGER,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    start      INTEGER, "end" INTEGER
);
CREATE INDEX IF NOT EXISTS memberships_key ON memberships(cluster_id, year);
CREATE INDEX IF NOT EXISTS memberships_article ON memberships(article_id);

CREATE TABLE IF NOT EXISTS events (          -- one row per event, however many articles report it
    id         INTEGER PRIMARY KEY,
    event_key  TEXT NOT NULL UNIQUE,         -- type|date-or-year|cluster|host
    type       TEXT,                         -- tong_ket, so_ket, tru_bi, giao_uoc, binh_xet, trien_khai, dai_hoi, khen_thuong, khac
    date       TEXT,
    year       INTEGER,
    host_unit_id INTEGER REFERENCES units(id),
    cluster_id INTEGER REFERENCES clusters(id)
);
CREATE TABLE IF NOT EXISTS event_sources (   -- the articles that report an event
    event_id   INTEGER NOT NULL REFERENCES events(id),
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start      INTEGER, "end" INTEGER,
    PRIMARY KEY (event_id, article_id)
);
CREATE INDEX IF NOT EXISTS event_sources_article ON event_sources(article_id);

CREATE TABLE IF NOT EXISTS officials (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS official_mentions (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    official_id  INTEGER NOT NULL REFERENCES officials(id),
    title        TEXT,
    unit_id      INTEGER REFERENCES units(id),      -- the unit of the title
    cluster_role TEXT,                               -- leader | deputy | NULL
    cluster_id   INTEGER REFERENCES clusters(id),    -- the cluster of the role
    year         INTEGER,
    start        INTEGER, "end" INTEGER
);
CREATE INDEX IF NOT EXISTS official_mentions_article ON official_mentions(article_id);
CREATE INDEX IF NOT EXISTS official_mentions_official ON official_mentions(official_id);
CREATE INDEX IF NOT EXISTS official_mentions_role ON official_mentions(cluster_id, year) WHERE cluster_role = 'leader';

CREATE TABLE IF NOT EXISTS slogans (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS slogan_mentions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    slogan_id  INTEGER NOT NULL REFERENCES slogans(id),
    year INTEGER, start INTEGER, "end" INTEGER
);
CREATE INDEX IF NOT EXISTS slogan_mentions_article ON slogan_mentions(article_id);

CREATE TABLE IF NOT EXISTS awards (id INTEGER PRIMARY KEY, title TEXT NOT NULL UNIQUE);  -- canonical titles
CREATE TABLE IF NOT EXISTS award_mentions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    award_id   INTEGER NOT NULL REFERENCES awards(id),
    year INTEGER, start INTEGER, "end" INTEGER
);
CREATE INDEX IF NOT EXISTS award_mentions_article ON award_mentions(article_id);

CREATE TABLE IF NOT EXISTS date_mentions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    date TEXT NOT NULL, start INTEGER, "end" INTEGER
);
CREATE INDEX IF NOT EXISTS date_mentions_article ON date_mentions(article_id);

CREATE TABLE IF NOT EXISTS province_mentions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    province TEXT NOT NULL REFERENCES provinces(name),
    start INTEGER, "end" INTEGER
);
CREATE INDEX IF NOT EXISTS province_mentions_article ON province_mentions(article_id);

-- Full-text search, two indexes over articles.title and articles.body. Both use articles as external
-- content: the text is stored once, in articles; the indexes hold tokens only (and snippets are cut
-- from articles).
--   articles_fts       remove_diacritics 0: tone marks keep words apart ("thể" and "thế"), for
--                      queries typed with diacritics;
--   articles_fts_fold  remove_diacritics 2: for queries typed without them ("Ha Noi" finds "Hà Nội").
--                      SQLite keeps "đ" (a letter of its own, not a d with a mark), so a d typed in
--                      a query word also asks for đ (thidua.queries.fts_query).
-- thidua.archive.store_many() indexes the articles it inserts once per batch (one INSERT … SELECT
-- per index, cheaper than a row at a time); the triggers keep both indexes right when an article's
-- text is updated or the article deleted.
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, body, content = 'articles', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 0"
);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts_fold USING fts5(
    title, body, content = 'articles', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 2"
);
CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO articles_fts_fold(articles_fts_fold, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    INSERT INTO articles_fts_fold(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO articles_fts_fold(articles_fts_fold, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;

-- who led which cluster in which year, consolidated over every article that says so: the leader and
-- deputy most articles name, the leader person, the number of sources, conflict when articles name
-- different units, and every claim with its count. Aggregates are computed once and joined (no
-- correlated subqueries), on the year key ifnull(year, -1) so rows without a year join too.
CREATE VIEW IF NOT EXISTS cluster_leaders AS
WITH statements AS (
    SELECT cy.cluster_id, ifnull(cy.year, -1) AS yk, cy.year, cy.article_id,
           lu.label AS leader, du.label AS deputy
    FROM cluster_years cy
    LEFT JOIN units lu ON lu.id = cy.leader_unit_id
    LEFT JOIN units du ON du.id = cy.deputy_unit_id
),
keys AS (
    SELECT cluster_id, yk, max(year) AS year, count(DISTINCT article_id) AS sources,
           group_concat(DISTINCT article_id) AS article_ids
    FROM statements GROUP BY cluster_id, yk
),
leader_votes AS (
    SELECT cluster_id, yk, leader, count(DISTINCT article_id) AS n FROM statements
    WHERE leader IS NOT NULL GROUP BY cluster_id, yk, leader
),
deputy_votes AS (
    SELECT cluster_id, yk, deputy, count(DISTINCT article_id) AS n FROM statements
    WHERE deputy IS NOT NULL GROUP BY cluster_id, yk, deputy
),
leaders AS (
    SELECT cluster_id, yk, leader, count(*) OVER w AS claims_n,
           row_number() OVER (PARTITION BY cluster_id, yk ORDER BY n DESC, leader) AS rk,
           group_concat(leader || ' (' || n || ')', '; ') OVER w AS claims
    FROM leader_votes WINDOW w AS (PARTITION BY cluster_id, yk ORDER BY n DESC, leader
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
),
deputies AS (
    SELECT cluster_id, yk, deputy, count(*) OVER w AS claims_n,
           row_number() OVER (PARTITION BY cluster_id, yk ORDER BY n DESC, deputy) AS rk,
           group_concat(deputy || ' (' || n || ')', '; ') OVER w AS claims
    FROM deputy_votes WINDOW w AS (PARTITION BY cluster_id, yk ORDER BY n DESC, deputy
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
),
persons AS (
    SELECT cluster_id, yk, group_concat(name, '; ') AS names FROM (
        SELECT DISTINCT om.cluster_id, ifnull(om.year, -1) AS yk, o.name
        FROM official_mentions om JOIN officials o ON o.id = om.official_id
        WHERE om.cluster_role = 'leader' AND om.cluster_id IS NOT NULL)
    GROUP BY cluster_id, yk
)
SELECT c.id AS cluster_id, c.kind, c.number, c.parent, k.year,
       l.leader AS leader_unit, d.deputy AS deputy_unit, p.names AS leader_person, k.sources,
       (ifnull(l.claims_n, 0) > 1 OR ifnull(d.claims_n, 0) > 1) AS conflict,
       l.claims AS leader_claims, d.claims AS deputy_claims, k.article_ids
FROM keys k
JOIN clusters c ON c.id = k.cluster_id
LEFT JOIN leaders l ON l.cluster_id = k.cluster_id AND l.yk = k.yk AND l.rk = 1
LEFT JOIN deputies d ON d.cluster_id = k.cluster_id AND d.yk = k.yk AND d.rk = 1
LEFT JOIN persons p ON p.cluster_id = k.cluster_id AND p.yk = k.yk;

-- cluster_leaders kept as a table, for fast answers on large archives. The view above is the
-- definition; this table is a copy of it made by thidua.archive.refresh_leaders() at the end of every
-- build and crawl. meta.leaders_fresh = '1' says the copy equals the view; every store() sets it to '0'
-- in its own transaction, and readers then use the view, so an answer is never stale.
CREATE TABLE IF NOT EXISTS cluster_leaders_table (
    cluster_id INTEGER, kind TEXT, number INTEGER, parent TEXT, year INTEGER,
    leader_unit TEXT, deputy_unit TEXT, leader_person TEXT, sources INTEGER, conflict INTEGER,
    leader_claims TEXT, deputy_claims TEXT, article_ids TEXT
);
CREATE INDEX IF NOT EXISTS cluster_leaders_table_year ON cluster_leaders_table(year);
