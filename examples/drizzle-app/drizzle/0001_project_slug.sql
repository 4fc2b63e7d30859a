ALTER TABLE "projects" ADD COLUMN "slug" varchar(64);--> statement-breakpoint
UPDATE "projects" SET "slug" = lower(regexp_replace("name", '[^a-zA-Z0-9]+', '-', 'g'));--> statement-breakpoint
ALTER TABLE "projects" ALTER COLUMN "slug" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "projects_owner_slug_idx" ON "projects" USING btree ("owner_id","slug");
