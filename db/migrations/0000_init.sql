CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_user_idx` ON `api_tokens` (`user_id`);--> statement-breakpoint
CREATE TABLE `app_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor_user_id` integer,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `billing_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`year` integer NOT NULL,
	`charge_kinds` text NOT NULL,
	`problems` text DEFAULT '[]' NOT NULL,
	`created_at` text NOT NULL,
	`created_by` integer,
	`issued_at` text,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `fee_brackets` (
	`schedule_id` integer NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`label` text NOT NULL,
	`min_population` integer NOT NULL,
	`entry_fee_ore` integer NOT NULL,
	`annual_fee_ore` integer NOT NULL,
	PRIMARY KEY(`schedule_id`, `position`),
	FOREIGN KEY (`schedule_id`) REFERENCES `fee_schedules`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "fee_brackets_amounts_ck" CHECK("fee_brackets"."entry_fee_ore" >= 0 AND "fee_brackets"."annual_fee_ore" >= 0 AND "fee_brackets"."min_population" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fee_brackets_name_uq` ON `fee_brackets` (`schedule_id`,`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `fee_brackets_min_uq` ON `fee_brackets` (`schedule_id`,`min_population`);--> statement-breakpoint
CREATE TABLE `fee_overrides` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` integer NOT NULL,
	`valid_from` integer NOT NULL,
	`valid_to` integer,
	`entry_fee_ore` integer,
	`annual_fee_ore` integer,
	`note` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "fee_overrides_span_ck" CHECK("fee_overrides"."valid_to" IS NULL OR "fee_overrides"."valid_to" >= "fee_overrides"."valid_from"),
	CONSTRAINT "fee_overrides_some_ck" CHECK("fee_overrides"."entry_fee_ore" IS NOT NULL OR "fee_overrides"."annual_fee_ore" IS NOT NULL)
);
--> statement-breakpoint
CREATE INDEX `fee_overrides_member_idx` ON `fee_overrides` (`member_id`);--> statement-breakpoint
CREATE TABLE `fee_schedules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`valid_from` integer NOT NULL,
	`note` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fee_schedules_valid_from_unique` ON `fee_schedules` (`valid_from`);--> statement-breakpoint
CREATE TABLE `invoice_lines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`invoice_id` integer NOT NULL,
	`position` integer NOT NULL,
	`charge_kind` text NOT NULL,
	`charge_key` text,
	`holds_charge` integer DEFAULT true NOT NULL,
	`project_id` integer,
	`year` integer NOT NULL,
	`description` text NOT NULL,
	`quantity` integer DEFAULT 1 NOT NULL,
	`unit_price_ore` integer NOT NULL,
	`vat_rate` integer NOT NULL,
	`amount_ore` integer NOT NULL,
	`vat_ore` integer NOT NULL,
	`basis` text,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `invoice_lines_invoice_idx` ON `invoice_lines` (`invoice_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoice_lines_charge_uq` ON `invoice_lines` (`charge_key`) WHERE "invoice_lines"."holds_charge" = 1 AND "invoice_lines"."charge_key" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer,
	`member_id` integer NOT NULL,
	`year` integer NOT NULL,
	`kind` text DEFAULT 'invoice' NOT NULL,
	`state` text DEFAULT 'draft' NOT NULL,
	`number` integer,
	`issue_date` text,
	`due_date` text,
	`ocr` text,
	`credited_invoice_id` integer,
	`credit_reason` text,
	`net_ore` integer NOT NULL,
	`vat_ore` integer NOT NULL,
	`total_ore` integer NOT NULL,
	`document` text,
	`created_at` text NOT NULL,
	`issued_at` text,
	FOREIGN KEY (`run_id`) REFERENCES `billing_runs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "invoices_number_ck" CHECK(("invoices"."state" = 'draft') = ("invoices"."number" IS NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_number_uq` ON `invoices` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_credited_uq` ON `invoices` (`credited_invoice_id`);--> statement-breakpoint
CREATE INDEX `invoices_member_idx` ON `invoices` (`member_id`);--> statement-breakpoint
CREATE INDEX `invoices_run_idx` ON `invoices` (`run_id`);--> statement-breakpoint
CREATE INDEX `invoices_year_idx` ON `invoices` (`year`);--> statement-breakpoint
CREATE TABLE `login_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`client` text NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `login_failures_email_idx` ON `login_failures` (`email`,`at`);--> statement-breakpoint
CREATE INDEX `login_failures_client_idx` ON `login_failures` (`client`,`at`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`municipality_code` text,
	`org_number` text NOT NULL,
	`joined_on` text NOT NULL,
	`resigned_on` text,
	`street` text,
	`postal_code` text,
	`city` text,
	`invoice_email` text,
	`reference` text,
	`contact_name` text,
	`contact_email` text,
	`contact_phone` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	CONSTRAINT "members_kind_code_ck" CHECK(("members"."kind" = 'municipality') = ("members"."municipality_code" IS NOT NULL)),
	CONSTRAINT "members_resigned_ck" CHECK("members"."resigned_on" IS NULL OR "members"."resigned_on" >= "members"."joined_on")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_municipality_code_uq` ON `members` (`municipality_code`);--> statement-breakpoint
CREATE UNIQUE INDEX `members_org_number_uq` ON `members` (`org_number`);--> statement-breakpoint
CREATE INDEX `members_name_idx` ON `members` (`name`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`invoice_id` integer NOT NULL,
	`amount_ore` integer NOT NULL,
	`paid_on` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`created_by` integer,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "payments_amount_ck" CHECK("payments"."amount_ore" > 0)
);
--> statement-breakpoint
CREATE INDEX `payments_invoice_idx` ON `payments` (`invoice_id`);--> statement-breakpoint
CREATE TABLE `populations` (
	`member_id` integer NOT NULL,
	`year` integer NOT NULL,
	`population` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`member_id`, `year`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "populations_population_ck" CHECK("populations"."population" >= 0)
);
--> statement-breakpoint
CREATE TABLE `project_budgets` (
	`project_id` integer NOT NULL,
	`year` integer NOT NULL,
	`amount_ore` integer NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`project_id`, `year`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "project_budgets_amount_ck" CHECK("project_budgets"."amount_ore" >= 0)
);
--> statement-breakpoint
CREATE TABLE `project_participants` (
	`project_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`joined_on` text NOT NULL,
	`left_on` text,
	`weight` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`project_id`, `member_id`),
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "project_participants_left_ck" CHECK("project_participants"."left_on" IS NULL OR "project_participants"."left_on" >= "project_participants"."joined_on")
);
--> statement-breakpoint
CREATE INDEX `project_participants_member_idx` ON `project_participants` (`member_id`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'planned' NOT NULL,
	`allocation_key` text DEFAULT 'per_capita' NOT NULL,
	`base_percent` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	CONSTRAINT "projects_base_percent_ck" CHECK(("projects"."allocation_key" = 'base_plus_per_capita') = ("projects"."base_percent" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `projects_code_unique` ON `projects` (`code`);--> statement-breakpoint
CREATE TABLE `reminders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`invoice_id` integer NOT NULL,
	`sent_on` text NOT NULL,
	`new_due_date` text NOT NULL,
	`created_by` integer,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`org_number` text NOT NULL,
	`vat_number` text,
	`street` text NOT NULL,
	`postal_code` text NOT NULL,
	`city` text NOT NULL,
	`email` text NOT NULL,
	`phone` text,
	`bankgiro` text NOT NULL,
	`payment_terms_days` integer DEFAULT 30 NOT NULL,
	`next_invoice_number` integer NOT NULL,
	`our_reference` text NOT NULL,
	`vat_rate_entry_fee` integer DEFAULT 0 NOT NULL,
	`vat_rate_annual_fee` integer DEFAULT 0 NOT NULL,
	`vat_rate_project_share` integer DEFAULT 0 NOT NULL,
	`vat_exemption_text` text NOT NULL,
	`footer` text DEFAULT '' NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "settings_singleton_ck" CHECK("settings"."id" = 1),
	CONSTRAINT "settings_vat_ck" CHECK("settings"."vat_rate_entry_fee" IN (0, 6, 12, 25) AND "settings"."vat_rate_annual_fee" IN (0, 6, 12, 25) AND "settings"."vat_rate_project_share" IN (0, 6, 12, 25))
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`member_id` integer,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "users_member_ck" CHECK(("users"."role" = 'member') = ("users"."member_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_uq` ON `users` (`email`);