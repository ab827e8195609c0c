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
CREATE UNIQUE INDEX `deliveries_in_flight_uq` ON `deliveries` (`invoice_id`, coalesce(`reminder_id`, 0)) WHERE "deliveries"."status" = 'sending';