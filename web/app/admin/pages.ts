// The admin pages of the app (see docs/web.md, "Adding a page"): one entry per page, its module
// under web/app/admin/, loaded lazily.
import type { PageDef } from '../page.ts';

export const ADMIN_PAGES: PageDef[] = [];
