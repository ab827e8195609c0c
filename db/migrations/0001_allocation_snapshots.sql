CREATE TABLE `allocation_snapshots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`year` integer NOT NULL,
	`hash` text NOT NULL,
	`appendix` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `allocation_snapshots_hash_uq` ON `allocation_snapshots` (`hash`);