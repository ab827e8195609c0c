PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_allocation_snapshots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`year` integer NOT NULL,
	`hash` text,
	`appendix` text,
	`basis` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "allocation_snapshots_kind_ck" CHECK(("__new_allocation_snapshots"."appendix" IS NOT NULL AND "__new_allocation_snapshots"."hash" IS NOT NULL AND "__new_allocation_snapshots"."basis" IS NULL) OR ("__new_allocation_snapshots"."basis" IS NOT NULL AND "__new_allocation_snapshots"."appendix" IS NULL AND "__new_allocation_snapshots"."hash" IS NULL))
);
--> statement-breakpoint
INSERT INTO `__new_allocation_snapshots`("id", "project_id", "year", "hash", "appendix", "basis", "created_at") SELECT "id", "project_id", "year", "hash", "appendix", NULL, "created_at" FROM `allocation_snapshots`;--> statement-breakpoint
DROP TABLE `allocation_snapshots`;--> statement-breakpoint
ALTER TABLE `__new_allocation_snapshots` RENAME TO `allocation_snapshots`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `allocation_snapshots_hash_uq` ON `allocation_snapshots` (`hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `allocation_snapshots_basis_uq` ON `allocation_snapshots` (`project_id`,`basis`);--> statement-breakpoint
ALTER TABLE `invoice_lines` ADD `allocation_snapshot_id` integer REFERENCES allocation_snapshots(id);--> statement-breakpoint
ALTER TABLE `invoice_lines` ADD `population` integer;--> statement-breakpoint
ALTER TABLE `invoice_lines` ADD `population_year` integer;--> statement-breakpoint
ALTER TABLE `invoice_lines` ADD `weight` text;--> statement-breakpoint
ALTER TABLE `invoice_lines` ADD `fee_bracket` text;--> statement-breakpoint
ALTER TABLE `invoice_lines` ADD `fee_override_note` text;--> statement-breakpoint
ALTER TABLE `invoice_lines` ADD `adjustment` text;--> statement-breakpoint
-- Data: the per-line basis JSON moves out (docs/invoices.md#how-lines-are-stored). Each distinct basis of a
-- project-year becomes one basis snapshot, which its lines cite; the member's own figures, a fee's bracket and an
-- adjustment's basis go into the line's own columns.
INSERT INTO `allocation_snapshots` (`project_id`, `year`, `basis`, `created_at`)
SELECT `project_id`, `year`, `b`, min(`created_at`) FROM (
	SELECT l.`project_id` AS `project_id`, l.`year` AS `year`, json_object('projectCode', json_extract(l.`basis`, '$.projectCode'), 'projectName', json_extract(l.`basis`, '$.projectName'), 'year', json_extract(l.`basis`, '$.year'), 'allocationKey', json_extract(l.`basis`, '$.allocationKey'), 'basePercent', json_extract(l.`basis`, '$.basePercent'), 'budget', json_extract(l.`basis`, '$.budget'), 'participantCount', json_extract(l.`basis`, '$.participantCount'), 'totalPopulation', json_extract(l.`basis`, '$.totalPopulation'), 'totalWeight', json_extract(l.`basis`, '$.totalWeight')) AS `b`, i.`created_at` AS `created_at`
	FROM `invoice_lines` l JOIN `invoices` i ON i.`id` = l.`invoice_id`
	WHERE l.`charge_kind` IN ('project_share', 'project_adjustment') AND l.`basis` IS NOT NULL AND l.`project_id` IS NOT NULL
) GROUP BY `project_id`, `b` ORDER BY min(`created_at`), `project_id`;--> statement-breakpoint
UPDATE `invoice_lines` SET
	`allocation_snapshot_id` = (SELECT s.`id` FROM `allocation_snapshots` s WHERE s.`project_id` = `invoice_lines`.`project_id` AND s.`basis` = json_object('projectCode', json_extract(`invoice_lines`.`basis`, '$.projectCode'), 'projectName', json_extract(`invoice_lines`.`basis`, '$.projectName'), 'year', json_extract(`invoice_lines`.`basis`, '$.year'), 'allocationKey', json_extract(`invoice_lines`.`basis`, '$.allocationKey'), 'basePercent', json_extract(`invoice_lines`.`basis`, '$.basePercent'), 'budget', json_extract(`invoice_lines`.`basis`, '$.budget'), 'participantCount', json_extract(`invoice_lines`.`basis`, '$.participantCount'), 'totalPopulation', json_extract(`invoice_lines`.`basis`, '$.totalPopulation'), 'totalWeight', json_extract(`invoice_lines`.`basis`, '$.totalWeight'))),
	`population` = json_extract(`basis`, '$.population'),
	`population_year` = json_extract(`basis`, '$.populationYear'),
	`weight` = json_extract(`basis`, '$.weight'),
	`adjustment` = json_extract(`basis`, '$.adjustment')
WHERE `charge_kind` IN ('project_share', 'project_adjustment') AND `basis` IS NOT NULL AND `project_id` IS NOT NULL;--> statement-breakpoint
UPDATE `invoice_lines` SET
	`fee_bracket` = json_extract(`basis`, '$.bracket'),
	`fee_override_note` = json_extract(`basis`, '$.overrideNote'),
	`population` = json_extract(`basis`, '$.population'),
	`population_year` = json_extract(`basis`, '$.populationYear')
WHERE `charge_kind` IN ('entry_fee', 'annual_fee') AND `basis` IS NOT NULL;--> statement-breakpoint
ALTER TABLE `invoice_lines` DROP COLUMN `basis`;