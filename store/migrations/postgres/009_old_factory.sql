-- 009: old-factory renovation (老旧厂房更新改造, 京规自发〔2024〕67号 第四条至第二十七条,
-- 京经信发〔2024〕14号; issue 4). See docs/OLD_FACTORY.md.

-- One case per 产业类 project of the library. doc is the whole case as JSON
-- (facts, materials, requisites, plan, review, publicity, agreement,
-- permits, evaluations) written by package app; the columns beside it are
-- what queues and the sweep filter on. version guards concurrent steps.
CREATE TABLE old_factory_cases (
  project_id BIGINT PRIMARY KEY REFERENCES projects(id),
  district TEXT NOT NULL,
  industry_dept TEXT NOT NULL DEFAULT '',
  stage TEXT NOT NULL,
  track TEXT NOT NULL DEFAULT '',
  next_due TEXT,
  next_due_kind TEXT NOT NULL DEFAULT '',
  doc TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX old_factory_district_stage ON old_factory_cases(district, stage);
CREATE INDEX old_factory_next_due ON old_factory_cases(next_due);

-- The Guide's screening (经信14号 三(一)): owners report candidate factories;
-- districts keep the inventory, which rolls up to the 市经济和信息化局.
CREATE TABLE factory_inventory (
  id BIGSERIAL PRIMARY KEY,
  org_id BIGINT NOT NULL,
  owner TEXT NOT NULL,
  uscc TEXT NOT NULL,
  name TEXT NOT NULL,
  district TEXT NOT NULL,
  address TEXT NOT NULL,
  building_area_m2 TEXT NOT NULL,
  vacant_area_m2 TEXT NOT NULL,
  safety_hazard BOOLEAN NOT NULL,
  output_below_standard BOOLEAN NOT NULL,
  qualifies TEXT NOT NULL,
  finding TEXT NOT NULL,
  status TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  reported_on TEXT NOT NULL,
  reviewed_by TEXT NOT NULL DEFAULT '',
  reviewed_on TEXT,
  UNIQUE (uscc, name, address)
);
CREATE INDEX factory_inventory_district ON factory_inventory(district, status);
