// Password hashing (argon2id, OWASP's parameters: 19 MiB, 2 passes, 1 lane) and the password policy.

import { hash, verify, type Options } from '@node-rs/argon2';

// Algorithm.Argon2id is 2 (a const enum, which isolated modules cannot read).
const ARGON2: Options = { algorithm: 2 as Options['algorithm'], memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 };

export const PASSWORD_MIN = 12;
/** Longer passwords are refused (bounded hashing work on hostile input). */
export const PASSWORD_MAX = 128;

/** A PHC string: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  if (password.length > PASSWORD_MAX * 4) return false;
  try {
    return await verify(phc, password);
  } catch {
    return false; // malformed stored hash: never a match
  }
}

// Verifying against this costs what a real check costs, so unknown names answer as slowly as known ones.
let dummy: Promise<string> | undefined;
export async function verifyNothing(password: string): Promise<false> {
  dummy ??= hashPassword('gridflow-dummy-password-for-timing');
  await verifyPassword(await dummy, password);
  return false;
}

/** Passwords refused whatever their length: the most common ones, and the platform's own names. */
const COMMON = new Set([
  '123456789012', '1234567890123', 'password1234', 'password12345', 'qwertyuiop12', 'qwertyuiopas', '111111111111',
  'aaaaaaaaaaaa', 'abcdefghijkl', 'iloveyou1234', 'administrator', 'welcome12345', 'changeme1234', 'letmein12345',
  'passwordpassword', 'gridflowgridflow', 'gridflow1234', 'gridflow12345', 'camunda12345', 'zeebe1234567',
]);

/**
 * The policy (NIST SP 800-63B's approach: length over composition rules): 12 to 128 characters,
 * at least 5 different characters, not a well-known password, not containing the username or
 * the display name. Returns every problem found; empty when the password is acceptable.
 */
export function passwordProblems(password: string, who: { username?: string; displayName?: string } = {}): string[] {
  const problems: string[] = [];
  const chars = [...password];
  if (chars.length < PASSWORD_MIN) problems.push(`must be at least ${PASSWORD_MIN} characters long`);
  if (chars.length > PASSWORD_MAX) problems.push(`must be at most ${PASSWORD_MAX} characters long`);
  if (new Set(chars).size < 5) problems.push('must contain at least 5 different characters');
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) problems.push('is a well-known password');
  for (const name of [who.username, who.displayName]) {
    if (name !== undefined && name.length >= 3 && lower.includes(name.toLowerCase())) problems.push('must not contain the username or display name');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(password)) problems.push('must not contain control characters');
  return [...new Set(problems)];
}
