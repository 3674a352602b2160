// Settings a schema marks `writeOnly: true` (JSON Schema's keyword; e.g. an SMTP password) are
// never sent back by the API: a literal value is shown as MASK, while a secret placeholder
// ({{secrets.NAME}}) is shown as it is, since it reveals nothing. Sending MASK back keeps the
// stored value, so a settings form can round-trip what it was given.
import { MASK } from './secrets.ts';

const PLACEHOLDER_ONLY = /^\{\{\s*secrets\.[A-Za-z][A-Za-z0-9_]*\s*\}\}$/;

function writeOnlyKeys(schema: Record<string, unknown> | undefined): string[] {
  const props = (schema?.properties ?? {}) as Record<string, { writeOnly?: boolean }>;
  return Object.keys(props).filter((k) => props[k]?.writeOnly === true);
}

export function maskWriteOnly(schema: Record<string, unknown> | undefined, settings: Record<string, unknown>): Record<string, unknown> {
  const out = { ...settings };
  for (const k of writeOnlyKeys(schema)) {
    const v = out[k];
    if (v !== undefined && v !== null && v !== '' && !(typeof v === 'string' && PLACEHOLDER_ONLY.test(v))) out[k] = MASK;
  }
  return out;
}

export function keepWriteOnly(schema: Record<string, unknown> | undefined, incoming: Record<string, unknown>, stored: Record<string, unknown>): Record<string, unknown> {
  const out = { ...incoming };
  for (const k of writeOnlyKeys(schema)) if (out[k] === MASK && k in stored) out[k] = stored[k];
  return out;
}
