import { LeafIssuer, storeCertificateAuthority } from '../http/certificate-authority.js';
import { folderCertificate, storeCertificate } from '../http/tls.js';
import { openStore } from '../store/open.js';
import { STORAGE_OPTIONS, storageHelp, storageLocation } from './storage-options.js';
import { parseOptions } from './usage.js';
import { servedFamily } from '../family/served-family.js';

export const certHelp = `Usage: localgraph cert [--data DIR | --database-url URL]

Prints the TLS certificate (PEM) that localgraph serve --https presents for this data folder or
database, making it when there is none yet. It is issued by localgraph's CA (localgraph ca),
which is the one certificate to trust for both the --https port and the proxy; trusting this
leaf alone covers the --https port only:
  localgraph cert > localgraph.pem && NODE_EXTRA_CA_CERTS=localgraph.pem node app.js
The private key stays in DIR/tls/key.pem (or the database).

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
  const store = await openStore(location, servedFamily);
  let cert: string;
  try {
    const issuer = new LeafIssuer(await storeCertificateAuthority(store));
    cert =
      location.kind === 'folder'
        ? (await folderCertificate(location.dir, issuer)).cert
        : (await storeCertificate(store, 'the database', issuer)).cert;
  } finally {
    await store.close();
  }
  process.stdout.write(cert.endsWith('\n') ? cert : `${cert}\n`);
  return 0;
}
