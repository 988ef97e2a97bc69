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

-- @migration 6: programmes, owners and tags of targets, for roll-ups
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
