export const BACKUP_SCHEMA = "migration_lint_backup";
