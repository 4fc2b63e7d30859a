ALTER TYPE "public"."project_status" ADD VALUE 'paused' BEFORE 'archived';
