// Messages: publication (buffered, TTL) and correlation (immediate, to one waiting subscription or start event).

import type { PublishMessage, Runtime } from '../runtime.ts';
import { ok, type Routes } from './routes.ts';
import { boundedString, closedObject, int64, nonEmptyString, tenantIdSchema, variablesSchema } from './validation.ts';
import * as wire from './wire.ts';

const common = {
  name: nonEmptyString(256),
  correlationKey: boundedString(1024),
  variables: variablesSchema,
  tenantId: tenantIdSchema,
};

const publicationBody = closedObject({
  ...common,
  timeToLive: int64(0, Number.MAX_SAFE_INTEGER),
  messageId: boundedString(256),
}, ['name']);

const correlationBody = closedObject(common, ['name']);

function toMessage(b: PublishMessage): PublishMessage {
  const m: PublishMessage = { name: b.name };
  if (b.correlationKey !== undefined) m.correlationKey = b.correlationKey;
  if (b.timeToLive !== undefined) m.timeToLive = b.timeToLive;
  if (b.messageId !== undefined) m.messageId = b.messageId;
  if (b.variables !== undefined) m.variables = b.variables;
  if (b.tenantId !== undefined) m.tenantId = b.tenantId;
  return m;
}

export function messageRoutes(r: Routes, runtime: Runtime): void {
  r.post('/messages/publication', { access: 'messages.publish', schemas: { body: publicationBody, bodyRequired: true } }, async (req, res) => {
    ok(res, wire.omitNulls(await runtime.publishMessage(toMessage(req.body as PublishMessage))));
  });

  r.post('/messages/correlation', { access: 'messages.correlate', schemas: { body: correlationBody, bodyRequired: true } }, async (req, res) => {
    ok(res, wire.omitNulls(await runtime.correlateMessage(toMessage(req.body as PublishMessage))));
  });
}
