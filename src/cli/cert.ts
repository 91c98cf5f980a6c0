import { folderCertificate, storeCertificate } from '../http/tls.js';
import { openStore } from '../store/open.js';
import { STORAGE_OPTIONS, storageHelp, storageLocation } from './storage-options.js';
import { parseOptions } from './usage.js';

export const certHelp = `Usage: localgraph cert [--data DIR | --database-url URL]

Prints the TLS certificate (PEM) that localgraph serve --https presents for this data folder or
database, making it when there is none yet, so that clients can trust it:
  localgraph cert > localgraph.pem && NODE_EXTRA_CA_CERTS=localgraph.pem node app.js
  (or add it to the OS trust store). The private key stays in DIR/tls/key.pem (or the database).

${storageHelp}
  -h, --help    this help`;

/** `localgraph cert` */
export async function certCommand(args: string[]): Promise<number> {
  const values = parseOptions(args, STORAGE_OPTIONS);
  if (values.help) {
    console.log(certHelp);
    return 0;
  }
  const location = storageLocation(values);
  let cert: string;
  if (location.kind === 'folder') cert = (await folderCertificate(location.dir)).cert;
  else {
    const store = await openStore(location);
    try {
      cert = (await storeCertificate(store, 'the database')).cert;
    } finally {
      await store.close();
    }
  }
  process.stdout.write(cert.endsWith('\n') ? cert : `${cert}\n`);
  return 0;
}
