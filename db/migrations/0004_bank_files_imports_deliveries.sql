CREATE TABLE `bank_payment_allocations` (
	`payment_id` integer PRIMARY KEY NOT NULL,
	`bank_payment_id` integer NOT NULL,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`bank_payment_id`) REFERENCES `bank_payments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `bank_payment_allocations_bank_idx` ON `bank_payment_allocations` (`bank_payment_id`);--> statement-breakpoint
CREATE TABLE `bank_payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`file_id` integer NOT NULL,
	`payment_key` text NOT NULL,
	`line` integer NOT NULL,
	`serial` text NOT NULL,
	`kind` text NOT NULL,
	`paid_on` text NOT NULL,
	`reference` text NOT NULL,
	`payer` text NOT NULL,
	`amount_ore` integer NOT NULL,
	`match` text NOT NULL,
	FOREIGN KEY (`file_id`) REFERENCES `payment_files`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bank_payments_key_uq` ON `bank_payments` (`payment_key`);--> statement-breakpoint
CREATE INDEX `bank_payments_file_idx` ON `bank_payments` (`file_id`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`invoice_id` integer NOT NULL,
	`reminder_id` integer,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`recipient` text,
	`message_id` text,
	`error` text,
	`started_at` text NOT NULL,
	`finished_at` text,
	`sent_by` integer,
	`sent_by_label` text NOT NULL,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reminder_id`) REFERENCES `reminders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sent_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `deliveries_invoice_idx` ON `deliveries` (`invoice_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_in_flight_uq` ON `deliveries` (`invoice_id`, coalesce(`reminder_id`, 0)) WHERE "deliveries"."status" = 'sending';--> statement-breakpoint
CREATE TABLE `payment_files` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sha256` text NOT NULL,
	`file_name` text DEFAULT '' NOT NULL,
	`file_timestamp` text NOT NULL,
	`status` text DEFAULT 'preview' NOT NULL,
	`total_ore` integer NOT NULL,
	`payment_count` integer NOT NULL,
	`content` blob NOT NULL,
	`uploaded_at` text NOT NULL,
	`uploaded_by` integer,
	`applied_at` text,
	`applied_by` integer,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`applied_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_files_sha256_uq` ON `payment_files` (`sha256`);--> statement-breakpoint
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
--> statement-breakpoint
CREATE TABLE `unmatched_payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`file_id` integer NOT NULL,
	`bank_payment_id` integer NOT NULL,
	`split_from_id` integer,
	`reference` text NOT NULL,
	`payer` text NOT NULL,
	`paid_on` text NOT NULL,
	`amount_ore` integer NOT NULL,
	`reason` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`invoice_id` integer,
	`payment_id` integer,
	`note` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`resolved_at` text,
	`resolved_by` integer,
	FOREIGN KEY (`file_id`) REFERENCES `payment_files`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`bank_payment_id`) REFERENCES `bank_payments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`resolved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "unmatched_payments_amount_ck" CHECK("unmatched_payments"."amount_ore" <> 0),
	CONSTRAINT "unmatched_payments_assigned_ck" CHECK(("unmatched_payments"."status" = 'assigned') = ("unmatched_payments"."payment_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX `unmatched_payments_status_idx` ON `unmatched_payments` (`status`);