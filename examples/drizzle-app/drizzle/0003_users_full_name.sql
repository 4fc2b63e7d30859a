ALTER TABLE "users" RENAME COLUMN "display_name" TO "full_name";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_login_at" timestamp with time zone;
