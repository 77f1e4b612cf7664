/**
 * The bare consult (consult-bare.ts) as a process of its own, as the platform's video service is, for the join
 * measurement of `bench:consult`: listens on loopback at BARE_PORT and stops on SIGTERM.
 */
import { BareConsult } from './consult-bare.js';

const port = Number(process.env.BARE_PORT);
if (!Number.isInteger(port) || port < 1)
  throw new Error(`BARE_PORT must be a port number, not ${process.env.BARE_PORT}`);
const bare = await BareConsult.start(port);
process.once('SIGTERM', () => {
  void bare.close().finally(() => process.exit(0));
});
