PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_project_budgets` (
	`project_id` integer NOT NULL,
	`year` integer NOT NULL,
	`amount_ore` integer NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`outcome_ore` integer,
	`planned_ore` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`project_id`, `year`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "project_budgets_amount_ck" CHECK("__new_project_budgets"."amount_ore" >= 0),
	CONSTRAINT "project_budgets_outcome_ck" CHECK("__new_project_budgets"."outcome_ore" IS NULL OR ("__new_project_budgets"."outcome_ore" = "__new_project_budgets"."amount_ore" AND "__new_project_budgets"."planned_ore" IS NOT NULL))
);
--> statement-breakpoint
INSERT INTO `__new_project_budgets`("project_id", "year", "amount_ore", "note", "outcome_ore", "planned_ore", "created_at", "updated_at") SELECT "project_id", "year", "amount_ore", "note", NULL, NULL, "created_at", "updated_at" FROM `project_budgets`;--> statement-breakpoint
DROP TABLE `project_budgets`;--> statement-breakpoint
ALTER TABLE `__new_project_budgets` RENAME TO `project_budgets`;--> statement-breakpoint
PRAGMA foreign_keys=ON;