-- 012: district expert committees (京建法〔2024〕3号 第三条, RULES EX-07).
-- A registry record and a consultation belong to one committee: '' is the
-- municipal committee of 市住房城乡建设委 (every row before this migration),
-- a district name (朝阳区) that district's committee, set up and managed by
-- its 区城市更新主管部门. One person on both committees has two records
-- (separate appointments, our default).
ALTER TABLE experts ADD COLUMN committee TEXT NOT NULL DEFAULT '';
ALTER TABLE expert_consultations ADD COLUMN committee TEXT NOT NULL DEFAULT '';
CREATE INDEX experts_committee ON experts(committee, id);
