-- Hand-written rollback for 0000_init_users_projects.
DROP TABLE "projects";
DROP TABLE "users";
DROP TYPE "public"."project_status";
