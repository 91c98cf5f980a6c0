import { storeCertificateAuthority } from '../http/certificate-authority.js';
import { openStore } from '../store/open.js';
import { STORAGE_OPTIONS, storageHelp, storageLocation } from './storage-options.js';
import { parseOptions } from './usage.js';
import { servedFamily } from '../family/served-family.js';

export const caHelp = `Usage: localgraph ca [--data DIR | --database-url URL]

Prints localgraph's certificate authority (PEM) for this data folder or database, making it when
there is none yet. Trust it once and both the proxy's certificates (serve --proxy-port, for
graph.microsoft.com and login.microsoftonline.com) and the --https port's are trusted:
  localgraph ca > localgraph-ca.pem
  NODE_EXTRA_CA_CERTS=localgraph-ca.pem HTTPS_PROXY=http://127.0.0.1:5081 node app.js
The CA is name-constrained to Microsoft's public-cloud Graph and login hosts and to loopback
names: it can sign nothing else a client would accept. Its private key stays in the data store
(the folder's database, or PostgreSQL, where every instance shares it).

${storageHelp}
  -h, --help    this help`;

/** `localgraph ca` */
export async function caCommand(args: string[]): Promise<number> {
  const values = parseOptions(args, STORAGE_OPTIONS);
  if (values.help) {
    console.log(caHelp);
    return 0;
  }
  const store = await openStore(storageLocation(values), servedFamily);
  let cert: string;
  try {
    cert = (await storeCertificateAuthority(store)).cert;
  } finally {
    await store.close();
  }
  process.stdout.write(cert.endsWith('\n') ? cert : `${cert}\n`);
  return 0;
}
