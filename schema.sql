-- goalpost schema (PRAGMA user_version = the last migration below).
-- Version 1 is the part before the first "-- @migration" line; each
-- "-- @migration N: what" line starts the upgrade from N - 1 to N.
-- Embedded in the binary; see src/store.rs for how it is applied.
-- Nothing is overwritten: observations gain vintages, targets gain versions,
-- retractions are flagged with their reason.

CREATE TABLE source (
    id        INTEGER PRIMARY KEY,
    citation  TEXT,
    url       TEXT,
    UNIQUE (citation, url)
);

CREATE TABLE indicator (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    entity           TEXT,
    unit             TEXT NOT NULL,
    measure          TEXT NOT NULL CHECK (measure IN ('stock', 'flow')),
    higher_is_better INTEGER NOT NULL CHECK (higher_is_better IN (0, 1)),
    natural_limit    REAL,
    description      TEXT
);

-- One row per vintage: a new value for the same indicator and period is a
-- new row, never an update.
CREATE TABLE observation (
    id            INTEGER PRIMARY KEY,
    indicator_id  TEXT NOT NULL REFERENCES indicator (id),
    period        TEXT NOT NULL,           -- as written: 2021, 2021-Q3, 2016..2020
    period_start  TEXT NOT NULL,           -- ISO date, inclusive
    period_end    TEXT NOT NULL,           -- ISO date, exclusive
    value         REAL NOT NULL,           -- base units
    qualifier     TEXT CHECK (qualifier IN ('about', 'more_than', 'less_than', 'at_least', 'at_most')),
    source_id     INTEGER REFERENCES source (id),
    published     TEXT,                    -- ISO date; NULL: counts as the period's last day
    note          TEXT,
    recorded      TEXT NOT NULL,           -- RFC 3339 UTC, when it was entered
    retracted     TEXT,                    -- RFC 3339 UTC, when it was retracted
    retracted_why TEXT,
    CHECK ((retracted IS NULL) = (retracted_why IS NULL))
);
CREATE INDEX observation_by_indicator ON observation (indicator_id, period_start, period_end);

CREATE TABLE target (
    id           TEXT PRIMARY KEY,
    indicator_id TEXT REFERENCES indicator (id),     -- NULL only for milestones
    kind         TEXT NOT NULL CHECK (kind IN ('level', 'cumulative', 'trend', 'milestone')),
    CHECK (indicator_id IS NOT NULL OR kind = 'milestone')
);

-- Every version of a target (methodology.md §8). Version 1 is the original;
-- a revision adds a row in force from its effective date.
CREATE TABLE target_version (
    target_id      TEXT NOT NULL REFERENCES target (id),
    version        INTEGER NOT NULL CHECK (version >= 1),
    effective      TEXT,                 -- ISO date; NULL for version 1
    goal           TEXT NOT NULL CHECK (goal IN ('value', 'relative', 'absolute', 'points', 'direction', 'milestone')),
    goal_value     REAL,                 -- the value, or the change (0.25 for +25%)
    baseline       TEXT,                 -- period
    baseline_value REAL,
    deadline       TEXT NOT NULL,        -- period
    window_from    TEXT,                 -- period; cumulative targets
    direction      TEXT CHECK (direction IN ('increase', 'decrease')),
    path           TEXT NOT NULL CHECK (path IN ('linear', 'compound')),
    title          TEXT,
    quote          TEXT,
    gloss          TEXT,
    source_id      INTEGER REFERENCES source (id),
    note           TEXT,
    recorded       TEXT NOT NULL,
    PRIMARY KEY (target_id, version),
    CHECK ((goal IN ('direction', 'milestone')) = (goal_value IS NULL)),
    CHECK ((version = 1) = (effective IS NULL))
);

CREATE TABLE waypoint (
    target_id TEXT NOT NULL,
    version   INTEGER NOT NULL,
    period    TEXT NOT NULL,
    value     REAL NOT NULL,
    PRIMARY KEY (target_id, version, period),
    FOREIGN KEY (target_id, version) REFERENCES target_version (target_id, version)
);

-- A milestone's completion.
CREATE TABLE milestone_done (
    target_id TEXT PRIMARY KEY REFERENCES target (id),
    done_on   TEXT NOT NULL,             -- ISO date
    source_id INTEGER REFERENCES source (id),
    recorded  TEXT NOT NULL
);

-- @migration 2: dated statements that a milestone was not done
-- A dated, sourced statement that a milestone was still not done on a date
-- (methodology.md §7): once that date is past the deadline, the milestone
-- is missed rather than overdue.
CREATE TABLE milestone_not_done (
    id        INTEGER PRIMARY KEY,
    target_id TEXT NOT NULL REFERENCES target (id),
    as_of     TEXT NOT NULL,             -- ISO date: still not done on this day
    source_id INTEGER REFERENCES source (id),
    recorded  TEXT NOT NULL
);
CREATE INDEX milestone_not_done_by_target ON milestone_not_done (target_id, as_of);

-- @migration 3: method profiles declared by the user
-- A method profile (methodology.md §6): an office's variant of a method,
-- kept as the TOML text it was added with (validated on the way in).
CREATE TABLE method_profile (
    name     TEXT PRIMARY KEY,
    profile  TEXT NOT NULL,              -- the profile, as TOML
    recorded TEXT NOT NULL
);

-- @migration 4: withdrawals of targets and logged corrections
-- A target withdrawn or repealed (a dated, sourced record): from that date
-- it is no longer assessed (status withdrawn).
CREATE TABLE target_withdrawal (
    target_id    TEXT PRIMARY KEY REFERENCES target (id),
    withdrawn_on TEXT NOT NULL,          -- ISO date
    source_id    INTEGER REFERENCES source (id),
    why          TEXT NOT NULL,
    recorded     TEXT NOT NULL
);

-- Corrections of entry errors (target edit, indicator edit): the field is
-- changed in place and the change is logged here; a correction is not a
-- revision of the policy.
CREATE TABLE correction (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('target', 'indicator')),
    entity_id TEXT NOT NULL,
    version   INTEGER,                   -- the target version corrected
    field     TEXT NOT NULL,
    old       TEXT,
    new       TEXT,
    recorded  TEXT NOT NULL
);
CREATE INDEX correction_by_entity ON correction (kind, entity_id);

-- @migration 5: integer period bounds and the indexes that serve reports at scale
-- The period as numbers, so that a report reads it without parsing text:
-- its grain (0 year, 1 half, 2 quarter, 3 month, 4 day) and its bounds as
-- day numbers (days from the common era, 0001-01-01 being day 1), start
-- inclusive and end exclusive; the publication date likewise. The text
-- columns stay as they are, the record as written.
ALTER TABLE observation ADD COLUMN grain INTEGER;
ALTER TABLE observation ADD COLUMN start_day INTEGER;
ALTER TABLE observation ADD COLUMN end_day INTEGER;
ALTER TABLE observation ADD COLUMN published_day INTEGER;
UPDATE observation SET
    grain = CASE length(CASE WHEN instr(period, '..') > 0
                             THEN substr(period, 1, instr(period, '..') - 1) ELSE period END)
        WHEN 4 THEN 0
        WHEN 7 THEN CASE substr(period, 6, 1) WHEN 'H' THEN 1 WHEN 'Q' THEN 2 ELSE 3 END
        WHEN 10 THEN 4
    END,
    start_day = CAST(julianday(period_start) - 1721424.5 AS INTEGER),
    end_day = CAST(julianday(period_end) - 1721424.5 AS INTEGER),
    published_day = CAST(julianday(published) - 1721424.5 AS INTEGER);
-- Every vintage of one indicator in entry order, with all that an
-- assessment reads: a report reads this index alone, one indicator at a time.
CREATE INDEX observation_for_assessment ON observation
    (indicator_id, id, grain, start_day, end_day, value, qualifier, published_day, retracted, retracted_why);
-- The targets of one indicator, in id order.
CREATE INDEX target_by_indicator ON target (indicator_id, id);

-- @migration 6: an indicator's year may start in another month (fiscal years)
-- The month (1 to 12) in which the indicator's year starts: 1 for the
-- calendar year; 4 for a fiscal year from April, whose 2010 (2009/10) runs
-- from April 2009 to March 2010. Its periods are kept as written
-- (`2009/10`, `2009/10-Q1`) and read in its year; their bounds are the
-- fiscal ones, and the grain of a fiscal year, half or quarter is its
-- grain plus ten times the month its year starts in (a fiscal year from
-- April is 40, its quarters 42). Existing indicators keep calendar years.
ALTER TABLE indicator ADD COLUMN year_start INTEGER NOT NULL DEFAULT 1
    CHECK (year_start BETWEEN 1 AND 12);

-- @migration 7: observation flags, indicator dimensions and headline parents
-- What the publisher says of a value, in goalpost's words (docs/dataset.md,
-- "Flags"), comma-separated in the vocabulary's order: provisional,
-- estimated, forecast, break, …; NULL for none.
ALTER TABLE observation ADD COLUMN flags TEXT;
-- Importers used to write the flags at the head of the note, as
-- "flags: p (provisional), b (break in time series)", then "; " and the
-- rest. Each meaning in brackets there becomes its word; the note keeps
-- the rest (none when nothing is left), or all of it when a flag had no
-- known meaning ("(unknown flag)", "(unknown status)").
CREATE TEMP TABLE flag_word (meaning TEXT NOT NULL, word TEXT NOT NULL, rank INTEGER NOT NULL);
INSERT INTO temp.flag_word VALUES
    ('provisional', 'provisional', 1),
    ('estimated', 'estimated', 2), ('Eurostat estimate', 'estimated', 2),
    ('forecast', 'forecast', 3),
    ('break in time series', 'break', 4),
    ('definition differs', 'definition_differs', 5),
    ('confidential', 'confidential', 6), ('confidential: secondary', 'confidential', 6),
    ('not for publication', 'confidential', 6),
    ('low reliability', 'unreliable', 7),
    ('not significant', 'not_significant', 8),
    ('revised', 'revised', 9),
    ('imputed', 'imputed', 10),
    ('experimental', 'experimental', 11),
    ('unvalidated', 'unvalidated', 12),
    ('derogation', 'derogation', 13),
    ('strike or other special event', 'special_event', 14),
    ('includes another category', 'includes_other', 15),
    ('included in another category', 'included_elsewhere', 16),
    ('not applicable', 'not_applicable', 17),
    ('missing', 'missing', 18), ('missing: holiday or weekend', 'missing', 18),
    ('missing: exists but not collected', 'missing', 18),
    ('missing: cannot exist', 'missing', 18), ('missing: suppressed', 'missing', 18);
CREATE TEMP TABLE flagged AS
    SELECT id,
           CASE WHEN instr(note, '; ') > 0 THEN substr(note, 1, instr(note, '; ') - 1) ELSE note END AS head,
           CASE WHEN instr(note, '; ') > 0 THEN substr(note, instr(note, '; ') + 2) END AS rest
    FROM observation WHERE note LIKE 'flags: %';
UPDATE observation SET
    flags = (SELECT group_concat(word, ',') FROM (
                SELECT DISTINCT w.word, w.rank FROM temp.flag_word w, temp.flagged f
                WHERE f.id = observation.id AND instr(f.head, '(' || w.meaning || ')') > 0
                ORDER BY w.rank)),
    note = (SELECT CASE WHEN f.head LIKE '%(unknown %' THEN observation.note ELSE f.rest END
            FROM temp.flagged f WHERE f.id = observation.id)
WHERE id IN (SELECT id FROM temp.flagged);
DROP TABLE temp.flagged;
DROP TABLE temp.flag_word;
-- A report reads the flags with the rest of what it assesses, from the
-- same index alone.
DROP INDEX observation_for_assessment;
CREATE INDEX observation_for_assessment ON observation
    (indicator_id, id, grain, start_day, end_day, value, qualifier, published_day, retracted, retracted_why, flags);
-- The headline indicator an indicator disaggregates (checked on entry).
ALTER TABLE indicator ADD COLUMN parent TEXT;
-- An indicator's dimensions (sex = female, age = 15-24): one value per
-- key, keys and values compared in any case.
CREATE TABLE indicator_dim (
    indicator_id TEXT NOT NULL REFERENCES indicator (id),
    key          TEXT NOT NULL COLLATE NOCASE,
    value        TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (indicator_id, key)
);
-- The indicators with a dimension's value: indicator list --dim, report --dim.
CREATE INDEX indicator_dim_by_value ON indicator_dim (key, value, indicator_id);

-- @migration 8: import batches
-- One row per import that stored observations (`obs import` in any format,
-- `import` of a data set or an Open SDG repository): what was read, when,
-- and what it did. `obs list --batch N` shows its rows and `obs retract
-- --batch N` retracts them; `obs batches` lists the batches.
CREATE TABLE batch (
    id        INTEGER PRIMARY KEY,
    recorded  TEXT NOT NULL,             -- RFC 3339 UTC, when it was imported
    input     TEXT NOT NULL,             -- the file as named, or 'stdin'
    format    TEXT NOT NULL,             -- csv, sdmx-csv, wdi, eurostat-tsv, opensdg, dataset
    added     INTEGER NOT NULL,          -- observations stored
    unchanged INTEGER NOT NULL           -- rows skipped as identical to a stored vintage
);
-- The batch an observation came in (NULL: added one at a time, or stored
-- before batches were recorded).
ALTER TABLE observation ADD COLUMN batch_id INTEGER REFERENCES batch (id);
-- A batch's rows, and how many are retracted, from the index alone.
CREATE INDEX observation_by_batch ON observation (batch_id, retracted);

-- @migration 9: programmes, owners and tags of targets, for roll-ups
-- Where a target is filed (report --group-by): the programme it belongs
-- to and the body that owns it, of the target as a whole (not of a
-- version); changed only by a logged correction (target edit).
ALTER TABLE target ADD COLUMN programme TEXT;
ALTER TABLE target ADD COLUMN owner TEXT;
-- Free tags, any number per target.
CREATE TABLE target_tag (
    target_id TEXT NOT NULL REFERENCES target (id),
    tag       TEXT NOT NULL,
    PRIMARY KEY (target_id, tag)
);
-- The targets of one tag (target list --tag).
CREATE INDEX target_tag_by_tag ON target_tag (tag, target_id);

-- @migration 10: each indicator's vintages packed into one row, for reports at scale
-- A copy of what an assessment reads of an indicator's observations, in
-- one row (src/store/series.rs), so that a report reads a row per
-- indicator rather than one per vintage. The observation rows stay the
-- record: `rows` NULL marks a stale copy, never read; the triggers below
-- mark it in the same statement as any change to the indicator's rows,
-- whoever makes it, and goalpost packs stale copies again before each of
-- its writes commits. Every indicator has its row from the start (a
-- missing one is read as "read the rows", as is an empty `rows`).
CREATE TABLE series (
    indicator_id TEXT PRIMARY KEY,
    rows         BLOB
) WITHOUT ROWID;
-- The stale copies, found without reading the packed ones.
CREATE INDEX series_stale ON series (indicator_id) WHERE rows IS NULL;
CREATE TRIGGER series_of_a_new_indicator AFTER INSERT ON indicator BEGIN
    INSERT OR REPLACE INTO series (indicator_id) VALUES (NEW.id);
END;
-- A row that is stale already is not written again (a bulk import).
CREATE TRIGGER series_after_insert AFTER INSERT ON observation BEGIN
    UPDATE series SET rows = NULL WHERE indicator_id = NEW.indicator_id AND rows IS NOT NULL;
END;
CREATE TRIGGER series_after_update AFTER UPDATE ON observation BEGIN
    UPDATE series SET rows = NULL
        WHERE indicator_id IN (OLD.indicator_id, NEW.indicator_id) AND rows IS NOT NULL;
END;
CREATE TRIGGER series_after_delete AFTER DELETE ON observation BEGIN
    UPDATE series SET rows = NULL WHERE indicator_id = OLD.indicator_id AND rows IS NOT NULL;
END;
-- Copies for the indicators already stored (packed as the upgrade ends).
INSERT INTO series (indicator_id) SELECT id FROM indicator;

-- @migration 11: packed copies hold values as scaled integers where that is exact
-- The packing's layout 2 (src/store/series.rs) stores a value such as
-- 324.6674 as the integer 3246674 and its four places, in about half the
-- bytes, whenever that gives the value back bit for bit; every copy is
-- packed again, in the new layout, as the upgrade ends.
UPDATE series SET rows = NULL;

-- @migration 12: the targets of one indicator read from their index alone
-- A report reads every target with its kind, programme and owner, one
-- indicator at a time: with them in the index, it does not look each
-- target's row up as well (one seek a target).
DROP INDEX target_by_indicator;
CREATE INDEX target_by_indicator ON target (indicator_id, id, kind, programme, owner);

-- @migration 13: each indicator's targets packed beside its vintages, for reports at scale
-- A copy of what a report reads of an indicator and its targets (their
-- versions, waypoints, tags, completion, not-done statements and
-- withdrawal), in its `series` row (src/store/targets.rs), so that a
-- report reads one row per indicator rather than its targets from three
-- tables. The rows stay the record: `targets` NULL marks a stale copy,
-- never read; the triggers below mark it in the same statement as any
-- change to what it copies, whoever makes it, and goalpost packs stale
-- copies again before each of its writes commits. (An empty copy: one
-- that could not be packed exactly; its indicator is read from the rows.)
ALTER TABLE series ADD COLUMN targets BLOB;
-- The stale copies, found without reading the packed ones.
CREATE INDEX series_targets_stale ON series (indicator_id) WHERE targets IS NULL;
-- A copy that is stale already is not written again (an import).
CREATE TRIGGER targets_after_target_insert AFTER INSERT ON target BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = NEW.indicator_id AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_target_update AFTER UPDATE ON target BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id IN (OLD.indicator_id, NEW.indicator_id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_target_delete AFTER DELETE ON target BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = OLD.indicator_id AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_version_insert AFTER INSERT ON target_version BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = (SELECT indicator_id FROM target WHERE id = NEW.target_id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_version_update AFTER UPDATE ON target_version BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id IN ((SELECT indicator_id FROM target WHERE id = OLD.target_id), (SELECT indicator_id FROM target WHERE id = NEW.target_id)) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_version_delete AFTER DELETE ON target_version BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = (SELECT indicator_id FROM target WHERE id = OLD.target_id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_waypoint_insert AFTER INSERT ON waypoint BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = (SELECT indicator_id FROM target WHERE id = NEW.target_id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_waypoint_update AFTER UPDATE ON waypoint BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id IN ((SELECT indicator_id FROM target WHERE id = OLD.target_id), (SELECT indicator_id FROM target WHERE id = NEW.target_id)) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_waypoint_delete AFTER DELETE ON waypoint BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = (SELECT indicator_id FROM target WHERE id = OLD.target_id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_tag_insert AFTER INSERT ON target_tag BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = (SELECT indicator_id FROM target WHERE id = NEW.target_id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_tag_update AFTER UPDATE ON target_tag BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id IN ((SELECT indicator_id FROM target WHERE id = OLD.target_id), (SELECT indicator_id FROM target WHERE id = NEW.target_id)) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_tag_delete AFTER DELETE ON target_tag BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = (SELECT indicator_id FROM target WHERE id = OLD.target_id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_done_insert AFTER INSERT ON milestone_done BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = (SELECT indicator_id FROM target WHERE id = NEW.target_id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_done_update AFTER UPDATE ON milestone_done BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id IN ((SELECT indicator_id FROM target WHERE id = OLD.target_id), (SELECT indicator_id FROM target WHERE id = NEW.target_id)) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_done_delete AFTER DELETE ON milestone_done BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = (SELECT indicator_id FROM target WHERE id = OLD.target_id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_not_done_insert AFTER INSERT ON milestone_not_done BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = (SELECT indicator_id FROM target WHERE id = NEW.target_id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_not_done_update AFTER UPDATE ON milestone_not_done BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id IN ((SELECT indicator_id FROM target WHERE id = OLD.target_id), (SELECT indicator_id FROM target WHERE id = NEW.target_id)) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_not_done_delete AFTER DELETE ON milestone_not_done BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = (SELECT indicator_id FROM target WHERE id = OLD.target_id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_withdrawal_insert AFTER INSERT ON target_withdrawal BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = (SELECT indicator_id FROM target WHERE id = NEW.target_id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_withdrawal_update AFTER UPDATE ON target_withdrawal BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id IN ((SELECT indicator_id FROM target WHERE id = OLD.target_id), (SELECT indicator_id FROM target WHERE id = NEW.target_id)) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_withdrawal_delete AFTER DELETE ON target_withdrawal BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = (SELECT indicator_id FROM target WHERE id = OLD.target_id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_indicator_update AFTER UPDATE ON indicator BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id IN (OLD.id, NEW.id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_indicator_delete AFTER DELETE ON indicator BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = OLD.id AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_dim_insert AFTER INSERT ON indicator_dim BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = NEW.indicator_id AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_dim_update AFTER UPDATE ON indicator_dim BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id IN (OLD.indicator_id, NEW.indicator_id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_dim_delete AFTER DELETE ON indicator_dim BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = OLD.indicator_id AND targets IS NOT NULL;
END;
-- A source's citation or address is copied wherever it is cited: a change
-- to one (never made by goalpost) marks every copy stale.
CREATE TRIGGER targets_after_source_update AFTER UPDATE ON source BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
CREATE TRIGGER targets_after_source_delete AFTER DELETE ON source BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
-- A row that an INSERT OR REPLACE, or an UPDATE OR REPLACE, deletes to
-- make room is deleted without its delete trigger (SQLite fires those only
-- with recursive triggers on, which another client need not have): where
-- the row that held the key may be of another indicator (a target, a
-- not-done statement, a vintage, by its id), its copy is marked before.
CREATE TRIGGER targets_before_target_insert BEFORE INSERT ON target BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = (SELECT indicator_id FROM target WHERE id = NEW.id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_target_update BEFORE UPDATE ON target WHEN NEW.id IS NOT OLD.id BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = (SELECT indicator_id FROM target WHERE id = NEW.id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_not_done_insert BEFORE INSERT ON milestone_not_done WHEN NEW.id IS NOT NULL BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = (SELECT t.indicator_id FROM milestone_not_done n JOIN target t ON t.id = n.target_id WHERE n.id = NEW.id) AND targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_not_done_update BEFORE UPDATE ON milestone_not_done WHEN NEW.id IS NOT OLD.id BEGIN
    UPDATE series SET targets = NULL WHERE indicator_id = (SELECT t.indicator_id FROM milestone_not_done n JOIN target t ON t.id = n.target_id WHERE n.id = NEW.id) AND targets IS NOT NULL;
END;
CREATE TRIGGER series_before_insert BEFORE INSERT ON observation WHEN NEW.id IS NOT NULL BEGIN
    UPDATE series SET rows = NULL WHERE indicator_id = (SELECT indicator_id FROM observation WHERE id = NEW.id) AND rows IS NOT NULL;
END;
CREATE TRIGGER series_before_update BEFORE UPDATE ON observation WHEN NEW.id IS NOT OLD.id BEGIN
    UPDATE series SET rows = NULL WHERE indicator_id = (SELECT indicator_id FROM observation WHERE id = NEW.id) AND rows IS NOT NULL;
END;
-- The other tables' keys hold the target or indicator they belong to, so
-- what a replace by key deletes is of the copy their own triggers mark;
-- but a replace may also be by rowid (a rowid given on insert, or set by
-- an update), and delete any row: every copy is marked (the rowid of
-- `source`, `milestone_not_done` and `observation` is their id).
CREATE TRIGGER targets_before_target_insert_at BEFORE INSERT ON target WHEN EXISTS (SELECT 1 FROM target WHERE rowid = NEW.rowid) BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_target_renumber BEFORE UPDATE ON target WHEN NEW.rowid IS NOT OLD.rowid BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_version_insert_at BEFORE INSERT ON target_version WHEN EXISTS (SELECT 1 FROM target_version WHERE rowid = NEW.rowid) BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_version_renumber BEFORE UPDATE ON target_version WHEN NEW.rowid IS NOT OLD.rowid BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_waypoint_insert_at BEFORE INSERT ON waypoint WHEN EXISTS (SELECT 1 FROM waypoint WHERE rowid = NEW.rowid) BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_waypoint_renumber BEFORE UPDATE ON waypoint WHEN NEW.rowid IS NOT OLD.rowid BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_tag_insert_at BEFORE INSERT ON target_tag WHEN EXISTS (SELECT 1 FROM target_tag WHERE rowid = NEW.rowid) BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_tag_renumber BEFORE UPDATE ON target_tag WHEN NEW.rowid IS NOT OLD.rowid BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_done_insert_at BEFORE INSERT ON milestone_done WHEN EXISTS (SELECT 1 FROM milestone_done WHERE rowid = NEW.rowid) BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_done_renumber BEFORE UPDATE ON milestone_done WHEN NEW.rowid IS NOT OLD.rowid BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_withdrawal_insert_at BEFORE INSERT ON target_withdrawal WHEN EXISTS (SELECT 1 FROM target_withdrawal WHERE rowid = NEW.rowid) BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_withdrawal_renumber BEFORE UPDATE ON target_withdrawal WHEN NEW.rowid IS NOT OLD.rowid BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_indicator_insert_at BEFORE INSERT ON indicator WHEN EXISTS (SELECT 1 FROM indicator WHERE rowid = NEW.rowid) BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_indicator_renumber BEFORE UPDATE ON indicator WHEN NEW.rowid IS NOT OLD.rowid BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_dim_insert_at BEFORE INSERT ON indicator_dim WHEN EXISTS (SELECT 1 FROM indicator_dim WHERE rowid = NEW.rowid) BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
CREATE TRIGGER targets_before_dim_renumber BEFORE UPDATE ON indicator_dim WHEN NEW.rowid IS NOT OLD.rowid BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
-- (a source that would replace another, by its id or its citation and
-- address, marks every copy; an update of one marks them all already)
CREATE TRIGGER targets_before_source_insert BEFORE INSERT ON source
WHEN EXISTS (SELECT 1 FROM source WHERE id = NEW.id OR (citation = NEW.citation AND url = NEW.url)) BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL;
END;
-- A new source may take the id that a completion, a statement or a
-- withdrawal cites already (one whose source was deleted): their copies
-- are marked, found by these indexes.
CREATE INDEX milestone_done_by_source ON milestone_done (source_id);
CREATE INDEX milestone_not_done_by_source ON milestone_not_done (source_id);
CREATE INDEX target_withdrawal_by_source ON target_withdrawal (source_id);
CREATE TRIGGER targets_after_source_insert AFTER INSERT ON source BEGIN
    UPDATE series SET targets = NULL WHERE targets IS NOT NULL AND indicator_id IN (
        SELECT t.indicator_id FROM milestone_done d JOIN target t ON t.id = d.target_id WHERE d.source_id = NEW.id
        UNION SELECT t.indicator_id FROM milestone_not_done n JOIN target t ON t.id = n.target_id WHERE n.source_id = NEW.id
        UNION SELECT t.indicator_id FROM target_withdrawal w JOIN target t ON t.id = w.target_id WHERE w.source_id = NEW.id);
END;

-- (packed as the upgrade ends: every copy starts stale)
