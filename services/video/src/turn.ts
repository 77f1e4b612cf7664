import { createHmac } from 'node:crypto';
import type { IceServer } from '@telemed/contracts';

/**
 * Short-lived TURN credentials as coturn checks them with `use-auth-secret` (the "TURN REST API"): the user name is
 * the expiry time in Unix seconds and the user's id, the password the HMAC-SHA1 of that name under the shared
 * secret, in base64. Nothing is stored; coturn refuses the credential once the time has passed.
 */
export function turnCredentials(
  urls: string[],
  secret: string,
  userId: string,
  ttlSeconds: number,
  now: number = Date.now(),
): IceServer[] {
  if (!urls.length) return [];
  const username = `${Math.floor(now / 1000) + ttlSeconds}:${userId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return [{ urls, username, credential }];
}
