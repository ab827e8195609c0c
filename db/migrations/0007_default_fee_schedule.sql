-- The default fee schedule of 2005 (docs/fees.md#fee-schedules) as data: every association starts with it. It was
-- seeded by db/client.ts at every start-up until issue 8; a database that has a schedule already keeps it as it is.
-- The same schedule is DEFAULT_FEE_SCHEDULE in billing/fees.ts (test/ops/default-schedule.test.ts keeps them equal).
INSERT INTO `fee_schedules` (`valid_from`, `note`)
SELECT 2005, 'Standardmodellen' WHERE NOT EXISTS (SELECT 1 FROM `fee_schedules`);
--> statement-breakpoint
INSERT INTO `fee_brackets` (`schedule_id`, `position`, `name`, `label`, `min_population`, `entry_fee_ore`, `annual_fee_ore`)
SELECT s.`id`, b.`position`, b.`name`, b.`label`, b.`min_population`, b.`entry_fee_ore`, b.`annual_fee_ore`
FROM `fee_schedules` s,
  (SELECT 0 AS `position`, 'small' AS `name`, 'Mindre än 10 000 invånare' AS `label`, 0 AS `min_population`,
          500000 AS `entry_fee_ore`, 800000 AS `annual_fee_ore`
   UNION ALL SELECT 1, 'medium', '10 000–100 000 invånare', 10000, 1000000, 1600000
   UNION ALL SELECT 2, 'large', 'Fler än 100 000 invånare', 100001, 2000000, 3200000) b
WHERE s.`valid_from` = 2005 AND NOT EXISTS (SELECT 1 FROM `fee_brackets` f WHERE f.`schedule_id` = s.`id`);
