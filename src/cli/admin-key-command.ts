import { replaceAdminKey } from '../admin/admin-key.js';
import { openStore } from '../store/open.js';
import { existingStorage, STORAGE_OPTIONS, storageHelp } from './storage-options.js';
import { parseOptions } from './usage.js';
import { servedFamily } from '../family/served-family.js';

export const adminKeyNewHelp = `Usage: localgraph admin-key new [--data DIR | --database-url URL]

Makes a new admin key for the data folder or database, prints it (once: only its hash is
kept), and forgets the old one. A server reads the key at start: restart it to use the new one.
For when the key the first start printed is lost; a key given with serve --admin-key or
$LOCALGRAPH_ADMIN_KEY is never stored and needs none of this.

${storageHelp}
  -h, --help       this help`;

/** `localgraph admin-key new` */
export async function adminKeyNewCommand(args: string[]): Promise<number> {
  const values = parseOptions(args, STORAGE_OPTIONS);
  if (values.help) {
    console.log(adminKeyNewHelp);
    return 0;
  }
  const store = await openStore(existingStorage(values), servedFamily);
  try {
    console.log(await replaceAdminKey(store));
  } finally {
    await store.close();
  }
  return 0;
}
