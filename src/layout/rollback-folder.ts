/**
 * The `rollback/` folder convention for runners that keep no downs (drizzle, supabase,
 * postgres-migrations): hand-written or generated downs live in a `rollback/` folder inside the
 * migrations folder, where the runner never looks (it reads only the folder's own files). A project
 * that has the folder has adopted the convention, so its migrations are then expected to have downs.
 */
import type { DirListing } from "./types.js";

export function hasRollbackFolder(dir: DirListing, prefix = "rollback/"): boolean {
  return dir.files.some((f) => f.startsWith(prefix));
}
