// Messages, as Zeebe correlates them: a published message goes to every open subscription with
// its name and correlation key (at most once per process instance) and starts processes with a
// matching message start event; with a time-to-live it is buffered and correlates with
// subscriptions opened later. A message id is unique per name while the message lives.
import { RuntimeError, notFound, type CorrelatedMessage, type PublishMessage, type PublishedMessage, type Variables } from '../runtime.ts';
import type { Store } from './store.ts';
import type { Clock } from './instance.ts';
import type { KeyAllocator } from './keys.ts';
import type { Instances } from './instances.ts';
import type { Definition, Definitions } from './definitions.ts';

const DEFAULT_TENANT = '<default>';
type StartAt = (def: Definition, startElementId: string, variables: Variables, tenantId: string) => Promise<string>;

export class Messages {
  constructor(
    private readonly store: Store, private readonly clock: Clock, private readonly keys: KeyAllocator,
    private readonly instances: Instances, private readonly definitions: Definitions, private readonly startAt: StartAt,
  ) {}

  async publish(req: PublishMessage): Promise<PublishedMessage> {
    const tenantId = req.tenantId ?? DEFAULT_TENANT;
    const now = this.clock.now();
    const messageKey = await this.keys.key();
    const correlationKey = req.correlationKey ?? '';
    const ttl = Math.max(req.timeToLive ?? 0, 0);
    if (req.messageId) {
      // The id is claimed by a unique insert that lives as long as the message.
      const _id = `message/${tenantId}/${req.name}/${req.messageId}`;
      await this.store.claims.deleteOne({ _id, expiresAt: { $lte: now } });
      try {
        await this.store.claims.create({ _id, at: new Date(now), expiresAt: now + ttl });
      } catch (err: any) {
        if (err?.code === 11000) throw duplicate(req);
        throw err;
      }
    }
    const doc = { _id: messageKey, name: req.name, correlationKey, messageId: req.messageId ?? null, variables: req.variables ?? {}, expiresAt: now + ttl, correlatedTo: [] as string[], tenantId };
    if (ttl > 0) await this.store.messages.collection.insertOne({ ...doc, variables: JSON.stringify(doc.variables) } as any);
    const reached = await this.correlateAll(doc);
    await this.startProcesses(doc, reached);
    return { tenantId, messageKey };
  }

  /** Correlate to exactly one waiting instance or start event, without buffering. */
  async correlate(req: PublishMessage): Promise<CorrelatedMessage> {
    const tenantId = req.tenantId ?? DEFAULT_TENANT;
    const messageKey = await this.keys.key();
    const doc = { _id: messageKey, name: req.name, correlationKey: req.correlationKey ?? '', variables: req.variables ?? {}, correlatedTo: [] as string[], tenantId };
    const subs = await this.store.subscriptions.find({ name: doc.name, correlationKey: doc.correlationKey, tenantId }).lean<any[]>();
    for (const s of subs) {
      if (await this.deliver(doc, s)) return { tenantId, messageKey, processInstanceKey: s.processInstanceKey };
    }
    const started = await this.startProcesses(doc, new Set(), 1);
    if (started[0]) return { tenantId, messageKey, processInstanceKey: started[0] };
    throw notFound('Message subscription', `${doc.name}/${doc.correlationKey}`);
  }

  /** A subscription opened: correlate the oldest live buffered message it has not seen. */
  async subscribed(sub: any) {
    const now = this.clock.now();
    const buffered = await this.store.messages.find({ name: sub.name, correlationKey: sub.correlationKey, tenantId: sub.tenantId, expiresAt: { $gt: now } }).sort({ _id: 1 }).lean<any[]>();
    for (const m of buffered) {
      if (typeof m.variables === 'string') m.variables = JSON.parse(m.variables);
      if (m.correlatedTo.includes(sub.processInstanceKey)) continue;
      if (await this.deliver(m, sub)) {
        await this.store.messages.updateOne({ _id: m._id }, { $addToSet: { correlatedTo: sub.processInstanceKey } });
        return;
      }
    }
  }

  private async correlateAll(doc: any): Promise<Set<string>> {
    const subs = await this.store.subscriptions.find({ name: doc.name, correlationKey: doc.correlationKey, tenantId: doc.tenantId }).sort({ _id: 1 }).lean<any[]>();
    const reached = new Set<string>();
    for (const s of subs) {
      if (reached.has(s.processInstanceKey)) continue;
      if (await this.deliver(doc, s)) reached.add(s.processInstanceKey);
    }
    if (reached.size && doc.expiresAt !== undefined) await this.store.messages.updateOne({ _id: doc._id }, { $addToSet: { correlatedTo: { $each: [...reached] } } });
    return reached;
  }

  private async deliver(doc: any, sub: any): Promise<boolean> {
    let ok = false;
    try {
      await this.instances.execute(sub.processInstanceKey, { kind: 'correlate', execId: sub.executionId, messageKey: doc._id, variables: doc.variables ?? {} }, (data) => {
        const w = data.waits[sub.executionId];
        if (w?.kind !== 'message' || w.name !== doc.name || w.correlationKey !== doc.correlationKey || data.correlated.includes(doc._id)) throw new Skip();
        ok = true;
      });
    } catch (err) {
      if (err instanceof Skip || (err instanceof RuntimeError && (err.status === 404 || err.status === 409))) return false;
      throw err;
    }
    return ok;
  }

  private async startProcesses(doc: any, reached: Set<string>, limit = Infinity): Promise<string[]> {
    const defs = await this.store.definitions.find({ messageStartNames: doc.name, tenantId: doc.tenantId }, { processDefinitionId: 1 }).lean<any[]>();
    const started: string[] = [];
    for (const id of new Set(defs.map((d) => d.processDefinitionId))) {
      if (started.length >= limit) break;
      const def = await this.definitions.latest(id, doc.tenantId);
      const start = Object.values<any>(def.model.elements).find((e) => e.type === 'bpmn:StartEvent' && !e.parentId && e.messageName === doc.name);
      if (!start) continue;
      const pik = await this.startAt(def, start.id, {}, doc.tenantId);
      const inst = await this.instances.latest(pik);
      const execId = Object.keys(inst?.data?.waits ?? {}).find((e) => inst!.data.waits[e].kind === 'message');
      if (execId) await this.instances.execute(pik, { kind: 'correlate', execId, messageKey: doc._id, variables: doc.variables ?? {} });
      reached.add(pik);
      started.push(pik);
    }
    return started;
  }
}

class Skip extends Error {}

const duplicate = (req: PublishMessage) =>
  new RuntimeError(409, 'ALREADY_EXISTS', `A message named '${req.name}' with message id '${req.messageId}' was already published and is still alive`);
