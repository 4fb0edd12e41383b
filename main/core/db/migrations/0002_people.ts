import { DEMO_STANDARDS } from '../../../../shared/domain/income';
import type { Migration } from './index';

// Seeded once, when the store is created; later changes to the demo list do not touch existing stores (and real
// county values replace them through sync anyway).
function seedDemoStandards(): string {
  const rows = DEMO_STANDARDS.map(
    (s) => `('${s.kind}', '${s.areaClass}', '${s.effectiveFrom}', ${s.amountFen}, 1, '2026-01-01T00:00:00.000Z')`,
  );
  return `INSERT INTO policy_standards (kind, area_class, effective_from, amount_fen, demo, updated_at) VALUES\n  ${rows.join(',\n  ')};`;
}

const migration: Migration = {
  version: 2,
  name: '0002_people',
  sql: /* sql */ `
-- pk is an explicit INTEGER PRIMARY KEY so that the full-text index below can point at a rowid VACUUM never changes;
-- id (UUIDv7) is the identity every other table, the outbox and the county use.
CREATE TABLE persons (
  pk                   INTEGER PRIMARY KEY,
  id                   TEXT NOT NULL UNIQUE,
  id_number            TEXT NOT NULL UNIQUE,
  name                 TEXT NOT NULL,
  -- Search keys computed at write time (pinyin-pro, surname readings first); *_alt hold the plain reading of a
  -- polyphonic surname (曾 ceng/zeng, 单 dan/shan) so that either spelling finds the person.
  name_pinyin          TEXT NOT NULL,
  name_initials        TEXT NOT NULL,
  name_pinyin_alt      TEXT,
  name_initials_alt    TEXT,
  birth_date           TEXT NOT NULL,
  sex                  TEXT NOT NULL CHECK (sex IN ('male', 'female')),
  phone                TEXT,
  hukou                TEXT NOT NULL CHECK (hukou IN ('urban', 'rural')),
  disability_category  TEXT,
  disability_grade     INTEGER CHECK (disability_grade BETWEEN 1 AND 4),
  work_ability         TEXT NOT NULL,
  health               TEXT NOT NULL,
  health_note          TEXT,
  -- Copy of the household's village (null while in no household), kept by saveHousehold: village lists and
  -- village-filtered searches then read one index instead of joining three tables row by row.
  village              TEXT,
  version              INTEGER NOT NULL DEFAULT 1,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  CHECK ((disability_category IS NULL) = (disability_grade IS NULL))
) STRICT;
CREATE INDEX persons_name ON persons (name);
CREATE INDEX persons_pinyin ON persons (name_pinyin);
CREATE INDEX persons_initials ON persons (name_initials);
CREATE INDEX persons_pinyin_alt ON persons (name_pinyin_alt) WHERE name_pinyin_alt IS NOT NULL;
CREATE INDEX persons_initials_alt ON persons (name_initials_alt) WHERE name_initials_alt IS NOT NULL;
CREATE INDEX persons_village_name ON persons (village, name) WHERE village IS NOT NULL;
CREATE INDEX persons_village_initials ON persons (village, name_initials) WHERE village IS NOT NULL;
CREATE INDEX persons_village_pinyin ON persons (village, name_pinyin) WHERE village IS NOT NULL;

-- Any run of >= 4 digits of an ID number: trigram full-text index over the number only (external content).
CREATE VIRTUAL TABLE persons_id_fts USING fts5 (id_number, content = 'persons', content_rowid = 'pk', tokenize = 'trigram');
CREATE TRIGGER persons_fts_insert AFTER INSERT ON persons BEGIN
  INSERT INTO persons_id_fts (rowid, id_number) VALUES (new.pk, new.id_number);
END;
CREATE TRIGGER persons_fts_delete AFTER DELETE ON persons BEGIN
  INSERT INTO persons_id_fts (persons_id_fts, rowid, id_number) VALUES ('delete', old.pk, old.id_number);
END;
CREATE TRIGGER persons_fts_update AFTER UPDATE OF id_number ON persons BEGIN
  INSERT INTO persons_id_fts (persons_id_fts, rowid, id_number) VALUES ('delete', old.pk, old.id_number);
  INSERT INTO persons_id_fts (rowid, id_number) VALUES (new.pk, new.id_number);
END;

CREATE TABLE households (
  id                  TEXT PRIMARY KEY,
  head_id             TEXT NOT NULL REFERENCES persons (id),
  hukou               TEXT NOT NULL CHECK (hukou IN ('urban', 'rural')),
  village             TEXT NOT NULL,
  address             TEXT NOT NULL,
  -- JSON arrays/objects validated by shared/schemas/people.ts; the totals are kept beside them for lists and reports.
  income_items        TEXT NOT NULL,
  assets              TEXT NOT NULL,
  monthly_income_fen  INTEGER NOT NULL CHECK (monthly_income_fen >= 0),
  member_count        INTEGER NOT NULL CHECK (member_count >= 1),
  version             INTEGER NOT NULL DEFAULT 1,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL
) STRICT;
CREATE INDEX households_village ON households (village);
CREATE INDEX households_head ON households (head_id);

-- A person belongs to at most one household (person_id is the key).
CREATE TABLE household_members (
  person_id     TEXT PRIMARY KEY REFERENCES persons (id),
  household_id  TEXT NOT NULL REFERENCES households (id),
  relation      TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX household_members_household ON household_members (household_id);

-- Standards per kind (dibao …) and area class, with the date from which each applies. The county sync writes its
-- published values here (demo = 0); a fresh station starts from the demo values of shared/domain/income.ts (demo = 1),
-- which every screen using them labels as demo.
CREATE TABLE policy_standards (
  kind            TEXT NOT NULL,
  area_class      TEXT NOT NULL CHECK (area_class IN ('urban', 'rural', 'all')),
  effective_from  TEXT NOT NULL,
  amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
  demo            INTEGER NOT NULL CHECK (demo IN (0, 1)),
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (kind, area_class, effective_from)
) STRICT, WITHOUT ROWID;
${seedDemoStandards()}
`,
};

export default migration;
