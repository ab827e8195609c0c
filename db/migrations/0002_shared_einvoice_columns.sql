ALTER TABLE `invoices` ADD `ubl` text;--> statement-breakpoint
ALTER TABLE `members` ADD `peppol_id` text;--> statement-breakpoint
ALTER TABLE `members` ADD `delivery_channel` text;--> statement-breakpoint
ALTER TABLE `settings` ADD `f_skatt` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `settings` ADD `peppol_id` text;--> statement-breakpoint
ALTER TABLE `settings` ADD `vat_exemption_texts` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `settings` ADD `accounts` text DEFAULT '{}' NOT NULL;