import { folderCertificate } from '../http/tls.js';
import { DEFAULT_DATA_DIR } from '../store/open.js';
import { parseOptions } from './usage.js';

export const certHelp = `Usage: localgraph cert [--data DIR]

Prints the TLS certificate (PEM) that localgraph serve --https presents for this data folder,
making it when there is none yet, so that clients can trust it:
  localgraph cert > localgraph.pem && NODE_EXTRA_CA_CERTS=localgraph.pem node app.js
  (or add it to the OS trust store). The private key stays in DIR/tls/key.pem.

  --data DIR    data folder (default: ./${DEFAULT_DATA_DIR}, or $LOCALGRAPH_DATA)
  -h, --help    this help`;

/** `localgraph cert` */
export async function certCommand(args: string[]): Promise<number> {
  const values = parseOptions(args, { data: { type: 'string' } });
  if (values.help) {
    console.log(certHelp);
    return 0;
  }
  const tls = await folderCertificate(values.data ?? process.env.LOCALGRAPH_DATA ?? DEFAULT_DATA_DIR);
  process.stdout.write(tls.cert.endsWith('\n') ? tls.cert : `${tls.cert}\n`);
  return 0;
}
