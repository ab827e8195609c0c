CREATE TABLE `population_import_rows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`import_id` integer NOT NULL,
	`line` integer NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`population` integer,
	`member_id` integer,
	`current` integer,
	`status` text NOT NULL,
	`message` text,
	FOREIGN KEY (`import_id`) REFERENCES `population_imports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `population_import_rows_import_idx` ON `population_import_rows` (`import_id`);--> statement-breakpoint
CREATE TABLE `population_imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`year` integer NOT NULL,
	`layout` text NOT NULL,
	`encoding` text NOT NULL,
	`regions_skipped` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'preview' NOT NULL,
	`created_at` text NOT NULL,
	`created_by` integer,
	`applied_at` text,
	`applied_by` integer,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`applied_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
