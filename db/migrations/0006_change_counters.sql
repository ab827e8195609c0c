CREATE TABLE `change_counters` (
	`topic` text PRIMARY KEY NOT NULL,
	`counter` integer NOT NULL
);
--> statement-breakpoint
-- Triggers (not in the drizzle schema): every change of a table bumps its topic's counter in the same transaction (db/schema.ts changeCounters).
CREATE TRIGGER `members_insert_counter` AFTER INSERT ON `members` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('members', 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `members_update_counter` AFTER UPDATE ON `members` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('members', 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `members_delete_counter` AFTER DELETE ON `members` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('members', 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `populations_insert_counter` AFTER INSERT ON `populations` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('populations', 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `populations_update_counter` AFTER UPDATE ON `populations` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('populations', 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `populations_delete_counter` AFTER DELETE ON `populations` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('populations', 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `fee_schedules_insert_counter` AFTER INSERT ON `fee_schedules` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('fees', 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `fee_schedules_update_counter` AFTER UPDATE ON `fee_schedules` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('fees', 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `fee_schedules_delete_counter` AFTER DELETE ON `fee_schedules` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('fees', 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `fee_brackets_insert_counter` AFTER INSERT ON `fee_brackets` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('fees', 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `fee_brackets_update_counter` AFTER UPDATE ON `fee_brackets` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('fees', 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `fee_brackets_delete_counter` AFTER DELETE ON `fee_brackets` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('fees', 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `fee_overrides_insert_counter` AFTER INSERT ON `fee_overrides` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('fees', 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `fee_overrides_update_counter` AFTER UPDATE ON `fee_overrides` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('fees', 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `fee_overrides_delete_counter` AFTER DELETE ON `fee_overrides` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('fees', 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `projects_insert_counter` AFTER INSERT ON `projects` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('project:' || NEW.`id`, 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `projects_update_counter` AFTER UPDATE ON `projects` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('project:' || NEW.`id`, 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('project:' || OLD.`id`, 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `projects_delete_counter` AFTER DELETE ON `projects` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('project:' || OLD.`id`, 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `project_budgets_insert_counter` AFTER INSERT ON `project_budgets` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('project:' || NEW.`project_id`, 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `project_budgets_update_counter` AFTER UPDATE ON `project_budgets` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('project:' || NEW.`project_id`, 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('project:' || OLD.`project_id`, 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `project_budgets_delete_counter` AFTER DELETE ON `project_budgets` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('project:' || OLD.`project_id`, 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `project_participants_insert_counter` AFTER INSERT ON `project_participants` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('project:' || NEW.`project_id`, 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `project_participants_update_counter` AFTER UPDATE ON `project_participants` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('project:' || NEW.`project_id`, 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('project:' || OLD.`project_id`, 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
--> statement-breakpoint
CREATE TRIGGER `project_participants_delete_counter` AFTER DELETE ON `project_participants` BEGIN INSERT INTO `change_counters` (`topic`, `counter`) VALUES ('project:' || OLD.`project_id`, 1) ON CONFLICT(`topic`) DO UPDATE SET `counter` = `counter` + 1; END;
