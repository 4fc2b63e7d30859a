-- Hand-written rollback for 0003_users_full_name.
ALTER TABLE "users" DROP COLUMN "last_login_at";
ALTER TABLE "users" RENAME COLUMN "full_name" TO "display_name";
