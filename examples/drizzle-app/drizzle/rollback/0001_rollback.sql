-- Hand-written rollback for 0001_project_slug.
DROP INDEX "projects_owner_slug_idx";
ALTER TABLE "projects" DROP COLUMN "slug";
