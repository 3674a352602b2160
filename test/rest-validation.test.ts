import express from 'express';
// The /v2 REST layer against a stub Runtime: hostile and malformed input must be refused with a
// 400/413/415 problem before anything reaches the runtime; valid requests get Camunda 8.8's
// status codes and response shapes. (End-to-end tests against the embedded runtime live elsewhere.)

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { createApp } from '../web/server.ts';
import { createV2Router } from '../engine/rest/index.ts';
import { conflict, notFound, RuntimeError, type ActivateJobs, type Runtime, type UserTask } from '../engine/runtime.ts';

type Impl = { [K in keyof Runtime]?: Runtime[K] extends (...args: infer A) => infer R ? (...args: A) => R : never };
interface Call { method: string; args: unknown[] }

/** Every method throws unless the current test provides it; every call is recorded. */
function stubRuntime(impl: () => Impl, calls: Call[]): Runtime {
  return new Proxy({} as Runtime, {
    get(_target, prop) {
      if (prop === 'kind') return 'embedded';
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      return (...args: unknown[]) => {
        calls.push({ method: prop, args });
        const f = (impl() as Record<string, ((...a: unknown[]) => unknown) | undefined>)[prop];
        if (f === undefined) throw new Error(`runtime.${prop} must not be called (secret-internal-detail)`);
        return f(...args);
      };
    },
  });
}

const NOW = '2025-01-01T00:00:00.000Z';

const processInstance = {
  processDefinitionId: 'order', processDefinitionName: null, processDefinitionVersion: 2, processDefinitionVersionTag: null,
  startDate: NOW, endDate: null, state: 'ACTIVE' as const, hasIncident: false, tenantId: '<default>',
  processInstanceKey: '2251799813685251', processDefinitionKey: '2251799813685249',
  parentProcessInstanceKey: null, parentElementInstanceKey: null,
};

const userTask: UserTask = {
  name: 'Approve', state: 'CREATED', assignee: null, elementId: 'approve', candidateGroups: [], candidateUsers: [],
  processDefinitionId: 'order', creationDate: NOW, completionDate: null, followUpDate: null, dueDate: null,
  tenantId: '<default>', externalFormReference: null, processDefinitionVersion: 1, customHeaders: {}, priority: 50,
  userTaskKey: '2251799813685260', elementInstanceKey: '2251799813685259', processName: null,
  processDefinitionKey: '2251799813685249', processInstanceKey: '2251799813685251', formKey: null,
  formLink: { embeddedFormKey: 'x', schema: '{}' },
};

const job = {
  type: 'charge', processDefinitionId: 'order', processDefinitionVersion: 1, elementId: 'charge', customHeaders: {},
  worker: 'w1', retries: 3, deadline: 1735689600000, variables: { amount: 10, note: null }, tenantId: '<default>',
  jobKey: '2251799813685270', processInstanceKey: '2251799813685251', processDefinitionKey: '2251799813685249',
  elementInstanceKey: '2251799813685269', kind: 'BPMN_ELEMENT' as const, listenerEventType: 'UNSPECIFIED' as const,
};

describe('REST /v2 validation and shapes', function () {
  let server: Server;
  let base: string;
  let impl: Impl = {};
  const calls: Call[] = [];
  const logged: unknown[] = [];

  before(async () => {
    const runtime = stubRuntime(() => impl, calls);
    const app = createApp({
      runtime,
      auth: 'unprotected',
      jsonLimit: '64kb',
      upload: { maxFileSize: 2048, maxFiles: 3 },
      logError: (_msg, err) => { logged.push(err); },
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    impl = {};
    calls.length = 0;
    logged.length = 0;
  });

  async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; type: string; json: any; text: string; headers: Headers }> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${base}${path}`, init);
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    let json: any;
    if (type.includes('json') && text.length > 0) json = JSON.parse(text);
    return { status: res.status, type, json, text, headers: res.headers };
  }

  /** A 400 problem naming the field, and the runtime never touched. */
  async function rejects(method: string, path: string, body: unknown, detail: string | RegExp, status = 400, headers?: Record<string, string>) {
    const res = await send(method, path, body, headers);
    assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
    assert.match(res.type, /^application\/problem\+json/);
    assert.equal(res.json.type, 'about:blank');
    assert.equal(res.json.status, status);
    assert.equal(res.json.instance, path.split('?')[0]);
    if (typeof detail === 'string') assert.equal(res.json.detail, detail);
    else assert.match(res.json.detail, detail);
    assert.deepEqual(calls.map((c) => c.method), [], 'runtime must not be called');
    return res.json;
  }

  describe('problem+json for transport errors', () => {
    it('malformed JSON is a 400, not a 500', async () => {
      const p = await rejects('POST', '/v2/jobs/activation', '{"type": "x",', /^Request body is not valid JSON/);
      assert.equal(p.title, 'INVALID_ARGUMENT');
      assert.equal(logged.length, 0);
    });

    it('an oversize body is a 413 problem', async () => {
      const big = { type: 'x', timeout: 1, maxJobsToActivate: 1, worker: 'w'.repeat(70 * 1024) };
      const p = await rejects('POST', '/v2/jobs/activation', big, 'Request body exceeds the size limit', 413);
      assert.equal(p.title, 'PAYLOAD_TOO_LARGE');
    });

    it('a non-JSON media type on a JSON route is a 415', async () => {
      await rejects('POST', '/v2/messages/publication', '{"name":"m"}', /Content-Type 'text\/plain' is not supported/, 415, { 'content-type': 'text/plain' });
    });

    it('an unknown route under /v2 is a 404 problem', async () => {
      const p = await rejects('GET', '/v2/no-such-thing', undefined, 'No endpoint GET /v2/no-such-thing', 404);
      assert.equal(p.title, 'NOT_FOUND');
      await rejects('POST', '/v2/jobs/activation/extra', {}, /No endpoint POST/, 404);
    });

    it('a known path with the wrong method is a 405 with Allow', async () => {
      const res = await send('GET', '/v2/jobs/activation');
      assert.equal(res.status, 405);
      assert.equal(res.json.title, 'METHOD_NOT_ALLOWED');
      assert.equal(res.headers.get('allow'), 'POST, OPTIONS');
      assert.equal(res.headers.get('x-powered-by'), null);
    });

    it('unexpected runtime errors are a 500 without internals', async () => {
      impl.topology = async () => { throw new Error('db at mongodb://secret-host failed'); };
      const res = await send('GET', '/v2/topology');
      assert.equal(res.status, 500);
      assert.equal(res.json.title, 'INTERNAL_ERROR');
      assert.doesNotMatch(res.text, /secret|stack|at /);
      assert.equal(logged.length, 1);
    });

    it('RuntimeError maps to its status, code and message', async () => {
      impl.getProcessInstance = async (key) => { throw notFound('Process instance', key); };
      let res = await send('GET', '/v2/process-instances/123');
      assert.equal(res.status, 404);
      assert.deepEqual(res.json, {
        type: 'about:blank', title: 'NOT_FOUND', status: 404,
        detail: "Process instance with key '123' not found", instance: '/v2/process-instances/123',
      });
      impl.completeJob = async () => { throw conflict('job is not activated'); };
      res = await send('POST', '/v2/jobs/5/completion', {});
      assert.equal(res.status, 409);
      assert.equal(res.json.title, 'INVALID_STATE');
      impl.publishMessage = async () => { throw new RuntimeError(503, 'RESOURCE_EXHAUSTED', 'busy'); };
      res = await send('POST', '/v2/messages/publication', { name: 'm' });
      assert.equal(res.status, 503);
      assert.equal(res.json.title, 'RESOURCE_EXHAUSTED');
    });
  });

  describe('body validation', () => {
    it('wrong types', async () => {
      await rejects('POST', '/v2/jobs/activation', { type: 'x', timeout: 1000, maxJobsToActivate: '5' }, 'body/maxJobsToActivate must be integer');
      await rejects('POST', '/v2/jobs/activation', { type: 7, timeout: 1000, maxJobsToActivate: 5 }, 'body/type must be string');
      await rejects('POST', '/v2/jobs/activation', { type: 'x', timeout: true, maxJobsToActivate: 5 }, /^body\/timeout must be an integer between 1 and/);
      await rejects('POST', '/v2/jobs/activation', { type: 'x', timeout: '12abc', maxJobsToActivate: 5 }, /^body\/timeout must be an integer between 1 and/);
      await rejects('POST', '/v2/jobs/activation', { type: 'x', timeout: 1000, maxJobsToActivate: 5, fetchVariable: 'a' }, 'body/fetchVariable must be array');
      await rejects('POST', '/v2/user-tasks/1/assignment', { assignee: 'a', allowOverride: 'yes' }, 'body/allowOverride must be boolean or null');
      await rejects('POST', '/v2/jobs/1/failure', { retries: 1.5 }, 'body/retries must be integer');
      await rejects('POST', '/v2/jobs/activation', [1, 2], 'body must be object');
      await rejects('POST', '/v2/jobs/activation', '"text"', 'body must be object');
    });

    it('out-of-range values', async () => {
      await rejects('POST', '/v2/jobs/activation', { type: 'x', timeout: 1000, maxJobsToActivate: 0 }, 'body/maxJobsToActivate must be >= 1');
      await rejects('POST', '/v2/jobs/activation', { type: '', timeout: 1000, maxJobsToActivate: 1 }, 'body/type must NOT have fewer than 1 characters');
      await rejects('POST', '/v2/jobs/1/failure', { retries: -1 }, 'body/retries must be >= 0');
      await rejects('POST', '/v2/process-instances/search', { page: { limit: 0 } }, 'body/page/limit must be >= 1');
      await rejects('POST', '/v2/process-instances/search', { page: { from: -1 } }, 'body/page/from must be >= 0');
      await rejects('POST', '/v2/messages/publication', { name: 'm', timeToLive: -5 }, /^body\/timeToLive must be an integer between 0 and/);
    });

    it('missing required fields', async () => {
      await rejects('POST', '/v2/jobs/activation', { timeout: 1000, maxJobsToActivate: 1 }, 'body/type is required');
      await rejects('POST', '/v2/jobs/activation', undefined, 'body is required');
      await rejects('POST', '/v2/messages/publication', { correlationKey: 'k' }, 'body/name is required');
      await rejects('POST', '/v2/messages/correlation', {}, 'body/name is required');
      await rejects('POST', '/v2/user-tasks/1/assignment', {}, 'body/assignee is required');
      await rejects('POST', '/v2/jobs/1/error', { errorMessage: 'x' }, 'body/errorCode is required');
      await rejects('POST', '/v2/process-instances', {}, 'body must contain exactly one of processDefinitionId or processDefinitionKey');
      await rejects('POST', '/v2/process-instances', { processDefinitionId: 'a', processDefinitionKey: '1' }, 'body must contain exactly one of processDefinitionId or processDefinitionKey');
    });

    it('variables must be a JSON object', async () => {
      for (const variables of [[], 'x', 5, true]) {
        await rejects('POST', '/v2/process-instances', { processDefinitionId: 'order', variables }, 'body/variables must be object');
        await rejects('POST', '/v2/jobs/1/completion', { variables }, 'body/variables must be object or null');
        await rejects('POST', '/v2/messages/publication', { name: 'm', variables }, 'body/variables must be object');
      }
      await rejects('POST', '/v2/process-instances', { processDefinitionId: 'order', variables: null }, 'body/variables must be object');
    });

    it('unknown properties are refused', async () => {
      await rejects('POST', '/v2/jobs/activation', { type: 'x', timeout: 1, maxJobsToActivate: 1, priority: 1 }, 'body/priority is not allowed');
      await rejects('POST', '/v2/process-instances/1/cancellation', { force: true }, 'body/force is not allowed');
      await rejects('POST', '/v2/process-instances/search', { filter: { processDefinitionName: 'Order' } }, 'body/filter/processDefinitionName is not a supported filter field');
      await rejects('POST', '/v2/process-instances/search', { page: { after: 'abc' } }, 'body/page/after is not allowed');
      await rejects('POST', '/v2/user-tasks/search', { sort: [{ field: 'assignee' }] }, /^body\/sort\/0\/field must be one of: creationDate/);
      await rejects('DELETE', '/v2/user-tasks/1/assignee', { assignee: 'x' }, 'body/assignee is not allowed');
    });

    it('features the seam cannot carry are refused, not dropped', async () => {
      await rejects('POST', '/v2/process-instances', { processDefinitionId: 'order', awaitCompletion: true }, 'body/awaitCompletion is not supported by Gridflow yet');
      await rejects('POST', '/v2/process-instances', { processDefinitionId: 'order', startInstructions: [{ elementId: 'a' }] }, 'body/startInstructions is not supported by Gridflow yet');
      await rejects('POST', '/v2/process-instances', { processDefinitionId: 'order', tags: ['vip'] }, 'body/tags is not supported by Gridflow yet');
      await rejects('POST', '/v2/jobs/1/completion', { result: { type: 'userTask', denied: true } }, 'body/result is not supported by Gridflow yet');
    });

    it('filter values are exact values of the right type', async () => {
      await rejects('POST', '/v2/process-instances/search', { filter: { state: 'RUNNING' } }, 'body/filter/state must be one of: ACTIVE, COMPLETED, TERMINATED');
      await rejects('POST', '/v2/process-instances/search', { filter: { processInstanceKey: 123 } }, 'body/filter/processInstanceKey must be string');
      await rejects('POST', '/v2/process-instances/search', { filter: { hasIncident: 'true' } }, 'body/filter/hasIncident must be boolean');
      await rejects('POST', '/v2/variables/search', { filter: { name: 7 } }, 'body/filter/name must be string');
      await rejects('POST', '/v2/process-instances/search', { filter: { startDate: 'yesterday' } }, /^body\/filter\/startDate must be an RFC 3339 date-time/);
    });

    it("filter values may be Camunda's advanced filter objects, checked per field type", async () => {
      await rejects('POST', '/v2/variables/search', { filter: { name: { like: 'a*' } } },
        'body/filter/name/like is not a supported operator for this field; use one of: $eq, $neq, $exists, $in, $notIn');
      await rejects('POST', '/v2/process-instances/search', { filter: { state: { $gt: 'ACTIVE' } } },
        'body/filter/state/$gt is not a supported operator for this field; use one of: $eq, $neq, $exists, $in, $notIn');
      await rejects('POST', '/v2/process-instances/search', { filter: { state: { $in: ['ACTIVE', 'RUNNING'] } } }, 'body/filter/state/$in/1 must be one of: ACTIVE, COMPLETED, TERMINATED');
      await rejects('POST', '/v2/process-instances/search', { filter: { processInstanceKey: { $in: 'x' } } }, 'body/filter/processInstanceKey/$in must be array');
      await rejects('POST', '/v2/process-instances/search', { filter: { processInstanceKey: { $eq: ['1'] } } }, 'body/filter/processInstanceKey/$eq must be string');
      await rejects('POST', '/v2/process-instances/search', { filter: { processInstanceKey: { $neq: 'abc' } } }, 'body/filter/processInstanceKey/$neq must be a numeric key of 1 to 19 digits');
      await rejects('POST', '/v2/process-instances/search', { filter: { endDate: { $exists: 'yes' } } }, 'body/filter/endDate/$exists must be boolean');
      await rejects('POST', '/v2/process-instances/search', { filter: { processDefinitionVersion: { $gte: 1.5 } } }, 'body/filter/processDefinitionVersion/$gte must be integer');
      await rejects('POST', '/v2/process-instances/search', { filter: { hasIncident: { $eq: true } } }, 'body/filter/hasIncident must be boolean');
      await rejects('POST', '/v2/process-instances/search', { filter: { state: {} } }, /^body\/filter\/state must name at least one operator of: \$eq/);
      await rejects('POST', '/v2/process-instances/search', { filter: { processInstanceKey: { $in: Array.from({ length: 1001 }, (_, i) => String(i)) } } },
        'body/filter/processInstanceKey/$in must NOT have more than 1000 items');

      impl.searchProcessInstances = async () => ({ items: [], page: { totalItems: 0 } });
      impl.searchUserTasks = async () => ({ items: [], page: { totalItems: 0 } });
      const filters = [
        { state: { $in: ['ACTIVE', 'COMPLETED'] }, processDefinitionId: { $neq: 'other' } },
        { startDate: { $gte: '2025-01-01T00:00:00Z', $lt: '2025-02-01T00:00:00.000+01:00' }, endDate: { $exists: false } },
        { processInstanceKey: { $notIn: ['1', '2'] }, processDefinitionVersion: { $gt: 1, $lte: 3 }, tenantId: { $eq: '<default>' } },
        { parentElementInstanceKey: '5', hasIncident: false },
      ];
      for (const filter of filters) {
        const res = await send('POST', '/v2/process-instances/search', { filter });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(calls.at(-1)!.args[0], { filter });
      }
      const taskFilter = { priority: { $gte: 50 }, dueDate: { $lt: NOW }, candidateGroup: { $in: ['sales'] }, name: 'Approve', elementInstanceKey: '9' };
      const res = await send('POST', '/v2/user-tasks/search', { filter: taskFilter });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(calls.at(-1)!.args[0], { filter: taskFilter });
    });

    it('every filter field the embedded runtime can search is accepted', async () => {
      const accepted: Record<string, [method: keyof Runtime, filter: Record<string, unknown>]> = {
        '/v2/process-definitions/search': ['searchProcessDefinitions', {
          processDefinitionId: 'a', processDefinitionKey: '1', version: 1, name: 'A', resourceName: 'a.bpmn', versionTag: 'v1', tenantId: '<default>', isLatestVersion: true,
        }],
        '/v2/process-instances/search': ['searchProcessInstances', {
          processDefinitionId: 'a', processDefinitionKey: '1', processDefinitionVersion: 1, processInstanceKey: '2', parentProcessInstanceKey: '3',
          parentElementInstanceKey: '4', state: 'ACTIVE', tenantId: '<default>', hasIncident: true, startDate: NOW, endDate: NOW,
        }],
        '/v2/element-instances/search': ['searchElementInstances', {
          processInstanceKey: '1', processDefinitionKey: '2', processDefinitionId: 'a', elementInstanceKey: '3', elementId: 'e', elementName: 'E',
          state: 'ACTIVE', type: 'USER_TASK', tenantId: '<default>', startDate: NOW, endDate: NOW,
        }],
        '/v2/user-tasks/search': ['searchUserTasks', {
          state: 'CREATED', assignee: 'a', elementId: 'e', name: 'n', processInstanceKey: '1', processDefinitionKey: '2', processDefinitionId: 'a',
          userTaskKey: '3', elementInstanceKey: '4', tenantId: '<default>', candidateGroup: 'g', candidateUser: 'u', priority: 50,
          creationDate: NOW, dueDate: NOW, followUpDate: NOW,
        }],
        '/v2/variables/search': ['searchVariables', { name: 'x', value: '"v"', variableKey: '1', scopeKey: '2', processInstanceKey: '3', tenantId: '<default>' }],
        '/v2/incidents/search': ['searchIncidents', {
          processInstanceKey: '1', processDefinitionKey: '2', processDefinitionId: 'a', incidentKey: '3', jobKey: '4', elementId: 'e',
          state: 'ACTIVE', errorType: 'JOB_NO_RETRIES', creationTime: NOW, tenantId: '<default>',
        }],
      };
      for (const [path, [method, filter]] of Object.entries(accepted)) {
        (impl as Record<string, unknown>)[method] = async () => ({ items: [], page: { totalItems: 0 } });
        const res = await send('POST', path, { filter });
        assert.equal(res.status, 200, `${path}: ${res.text}`);
        assert.deepEqual(calls.at(-1), { method, args: [{ filter }] });
      }
    });
  });

  describe('MongoDB operator keys', () => {
    it("refuses $-keys anywhere in filter and sort, except Camunda's operators in operator position", async () => {
      const msg = (at: string) => `${at} is not allowed: keys starting with '$' are only Camunda's filter operators ($eq, $neq, $exists, $in, $notIn, $gt, $gte, $lt, $lte), used as keys of a filter field's value`;
      await rejects('POST', '/v2/process-instances/search', { filter: { processDefinitionId: { $ne: null } } }, msg('body/filter/processDefinitionId/$ne'));
      await rejects('POST', '/v2/process-instances/search', { filter: { $where: 'sleep(1000)' } }, msg('body/filter/$where'));
      await rejects('POST', '/v2/user-tasks/search', { filter: { $or: [{ assignee: 'a' }, { assignee: 'b' }] } }, msg('body/filter/$or'));
      await rejects('POST', '/v2/user-tasks/search', { filter: { assignee: { $regex: '.*' } } }, msg('body/filter/assignee/$regex'));
      await rejects('POST', '/v2/variables/search', { sort: [{ field: 'name', $natural: 1 }] }, msg('body/sort/0/$natural'));
      await rejects('POST', '/v2/element-instances/search', { sort: [{ field: { $gt: '' } }] }, msg('body/sort/0/field/$gt'));
      await rejects('POST', '/v2/process-definitions/search', { page: { $limit: 5 } }, msg('body/page/$limit'));
      // Operator names are operators only as keys of a field's value.
      await rejects('POST', '/v2/incidents/search', { filter: { $in: ['ACTIVE'] } }, msg('body/filter/$in'));
      await rejects('POST', '/v2/incidents/search', { $eq: { state: 'ACTIVE' } }, msg('body/$eq'));
      await rejects('POST', '/v2/incidents/search', { sort: [{ $eq: 'state' }] }, msg('body/sort/0/$eq'));
      await rejects('POST', '/v2/incidents/search', { filter: { state: { $eq: { $ne: 'ACTIVE' } } } }, msg('body/filter/state/$eq/$ne'));
      await rejects('POST', '/v2/incidents/search', { filter: { state: { $in: [{ $gt: '' }] } } }, msg('body/filter/state/$in/0/$gt'));
      await rejects('POST', '/v2/incidents/search', { filter: { state: { $eq: { $eq: 'ACTIVE' } } } }, msg('body/filter/state/$eq/$eq'));
      await rejects('POST', '/v2/incidents/search', { filter: { state: { nested: { $exists: true } } } }, msg('body/filter/state/nested/$exists'));
      await rejects('POST', '/v2/incidents/search', { filter: { state: { $ne: 'ACTIVE' } } }, msg('body/filter/state/$ne'));
      await rejects('POST', '/v2/incidents/search', { filter: { state: { $nin: ['ACTIVE'] } } }, msg('body/filter/state/$nin'));
      await rejects('POST', '/v2/incidents/search', { filter: { state: { $or: [] } } }, msg('body/filter/state/$or'));
    });

    it('refuses $like with its own message: the runtime cannot match wildcards', async () => {
      await rejects('POST', '/v2/user-tasks/search', { filter: { assignee: { $like: 'dem*' } } },
        'body/filter/assignee/$like is not supported by Gridflow yet: wildcard matching is not available; use $eq or $in');
      await rejects('POST', '/v2/variables/search', { filter: { name: { $eq: 'a', $like: 'a' } } }, /^body\/filter\/name\/\$like is not supported by Gridflow yet/);
    });

    it('accepts the operators where Camunda puts them', async () => {
      impl.searchIncidents = async () => ({ items: [], page: { totalItems: 0 } });
      const body = { filter: { state: { $in: ['ACTIVE'] }, creationTime: { $gt: NOW, $exists: true }, processInstanceKey: { $neq: '1' } } };
      const res = await send('POST', '/v2/incidents/search', body);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(calls, [{ method: 'searchIncidents', args: [body] }]);
    });

    it('refuses $-keys in the bodies of every other endpoint, variables included', async () => {
      const msg = (at: string) => `${at} is not allowed: keys starting with '$' are not supported`;
      await rejects('POST', '/v2/process-instances', { processDefinitionId: 'a', variables: { $set: { x: 1 } } }, msg('body/variables/$set'));
      await rejects('POST', '/v2/process-instances', { processDefinitionId: 'a', variables: { order: { items: [{ $where: '1' }] } } }, msg('body/variables/order/items/0/$where'));
      await rejects('POST', '/v2/process-instances', { processDefinitionId: 'a', $eq: 1 }, msg('body/$eq'));
      await rejects('POST', '/v2/user-tasks/1/completion', { variables: { $in: [1] } }, msg('body/variables/$in'));
      await rejects('POST', '/v2/jobs/1/completion', { variables: { a: { $gt: 1 } } }, msg('body/variables/a/$gt'));
      await rejects('POST', '/v2/jobs/1/failure', { retries: 1, variables: { $exists: true } }, msg('body/variables/$exists'));
      await rejects('POST', '/v2/jobs/1/error', { errorCode: 'E', variables: { $eq: 1 } }, msg('body/variables/$eq'));
      await rejects('POST', '/v2/messages/publication', { name: 'm', variables: { $neq: 1 } }, msg('body/variables/$neq'));
      await rejects('POST', '/v2/messages/correlation', { name: 'm', variables: { $lte: 1 } }, msg('body/variables/$lte'));
      await rejects('POST', '/v2/jobs/activation', { type: 'x', timeout: 1, maxJobsToActivate: 1, $in: ['x'] }, msg('body/$in'));
      await rejects('POST', '/v2/user-tasks/1/assignment', { assignee: 'a', $set: {} }, msg('body/$set'));
      await rejects('POST', '/v2/process-instances/1/cancellation', { $where: '1' }, msg('body/$where'));
    });

    it('refuses __proto__ keys and hostile nesting anywhere in a body', async () => {
      await rejects('POST', '/v2/process-instances', '{"processDefinitionId":"a","variables":{"__proto__":{"polluted":true}}}', 'body/variables/__proto__ is not allowed');
      const deep = '{"a":'.repeat(200) + '1' + '}'.repeat(200);
      await rejects('POST', '/v2/process-instances', `{"processDefinitionId":"a","variables":${deep}}`, /^body\/variables(\/a)+ is nested deeper than 64 levels$/);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  });

  describe('path and query validation', () => {
    it('keys in paths are numeric strings of at most 19 digits', async () => {
      const msg = (name: string) => `path/${name} must be a numeric key of 1 to 19 digits`;
      await rejects('GET', '/v2/process-instances/abc', undefined, msg('processInstanceKey'));
      await rejects('GET', '/v2/process-instances/-1', undefined, msg('processInstanceKey'));
      await rejects('GET', '/v2/process-instances/12345678901234567890', undefined, msg('processInstanceKey'));
      await rejects('GET', '/v2/process-instances/1e5', undefined, msg('processInstanceKey'));
      await rejects('GET', '/v2/process-instances/%20123', undefined, msg('processInstanceKey'));
      await rejects('GET', '/v2/process-definitions/0x1F/xml', undefined, msg('processDefinitionKey'));
      await rejects('POST', '/v2/jobs/12.5/completion', {}, msg('jobKey'));
      await rejects('POST', '/v2/user-tasks/abc/completion', {}, msg('userTaskKey'));
      await rejects('DELETE', '/v2/user-tasks/abc/assignee', undefined, msg('userTaskKey'));
      await rejects('POST', '/v2/incidents/%24ne/resolution', {}, msg('incidentKey'));
      await rejects('GET', '/v2/process-instances/abc/history', undefined, msg('processInstanceKey'));
    });

    it('malformed percent-encoding in a path is a 400', async () => {
      await rejects('GET', '/v2/process-instances/%E0%A4%A', undefined, 'path contains malformed percent-encoding');
    });

    it('unexpected or malformed query parameters are refused', async () => {
      await rejects('GET', '/v2/topology?debug=1', undefined, 'query/debug is not allowed');
      await rejects('POST', '/v2/variables/search?truncateValues=maybe', {}, 'query/truncateValues must be one of: true, false');
      await rejects('POST', '/v2/variables/search?truncateValues=true&truncateValues=false', {}, /^query\/truncateValues must be one of/);
    });
  });

  describe('success codes and shapes (8.8)', () => {
    it('GET /topology → 200', async () => {
      const topology = { brokers: [], clusterSize: 1, partitionsCount: 1, replicationFactor: 1, gatewayVersion: '8.8.0', lastCompletedChangeId: '-1' };
      impl.topology = async () => topology;
      const res = await send('GET', '/v2/topology');
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, topology);
    });

    it('POST /process-instances → 200, with the Camunda client defaults accepted', async () => {
      impl.createProcessInstance = async (req) => ({
        processDefinitionId: 'order', processDefinitionVersion: 2, tenantId: '<default>', variables: req.variables ?? {},
        processDefinitionKey: '2251799813685249', processInstanceKey: '2251799813685251',
      });
      const res = await send('POST', '/v2/process-instances', {
        processDefinitionId: 'order', processDefinitionVersion: -1, awaitCompletion: false, requestTimeout: '0', variables: { a: 1, b: null },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.processInstanceKey, '2251799813685251');
      assert.deepEqual(res.json.variables, { a: 1, b: null });
      assert.deepEqual(calls[0]!.args[0], { processDefinitionId: 'order', variables: { a: 1, b: null } });

      calls.length = 0;
      const res2 = await send('POST', '/v2/process-instances', { processDefinitionKey: '2251799813685249', tenantId: '<default>', startInstructions: [], tags: [] });
      assert.equal(res2.status, 200, res2.text);
      assert.deepEqual(calls[0]!.args[0], { processDefinitionKey: '2251799813685249', tenantId: '<default>' });
    });

    it('POST /process-instances/{key}/cancellation → 204 with or without a body', async () => {
      impl.cancelProcessInstance = async () => undefined;
      for (const body of [undefined, {}, { operationReference: 7 }]) {
        const res = await send('POST', '/v2/process-instances/42/cancellation', body);
        assert.equal(res.status, 204, res.text);
        assert.equal(res.text, '');
      }
      assert.deepEqual(calls.map((c) => c.args[0]), ['42', '42', '42']);
    });

    it('POST /process-instances/search → {items, page:{totalItems}}, nulls omitted', async () => {
      impl.searchProcessInstances = async () => ({ items: [processInstance], page: { totalItems: 1 } });
      const res = await send('POST', '/v2/process-instances/search', {
        filter: { parentProcessInstanceKey: '2251799813685251', state: 'ACTIVE' }, sort: [{ field: 'startDate', order: 'DESC' }], page: { from: 0, limit: 10 },
      });
      assert.equal(res.status, 200);
      assert.equal(res.json.page.totalItems, 1);
      const item = res.json.items[0];
      assert.equal(item.processDefinitionName, 'order'); // falls back to the id
      assert.equal('endDate' in item, false);
      assert.equal('parentProcessInstanceKey' in item, false);
      assert.deepEqual(calls[0]!.args[0], {
        filter: { parentProcessInstanceKey: '2251799813685251', state: 'ACTIVE' }, sort: [{ field: 'startDate', order: 'DESC' }], page: { from: 0, limit: 10 },
      });
      // An absent body is an empty query.
      calls.length = 0;
      assert.equal((await send('POST', '/v2/process-instances/search')).status, 200);
      assert.deepEqual(calls[0]!.args[0], {});
    });

    it('GET /process-instances/{key}/history (Gridflow extension) → 200 {items}', async () => {
      impl.history = async (key) => [{ processInstanceKey: key, seq: 1, at: NOW, event: 'ELEMENT_ACTIVATED', elementId: 'start' }];
      const res = await send('GET', '/v2/process-instances/9/history');
      assert.equal(res.status, 200);
      assert.equal(res.json.items[0].processInstanceKey, '9');
    });

    it('GET /process-definitions/{key}/xml → 200 text/xml', async () => {
      impl.getProcessDefinitionXml = async () => '<definitions/>';
      const res = await send('GET', '/v2/process-definitions/1/xml');
      assert.equal(res.status, 200);
      assert.match(res.type, /^text\/xml/);
      assert.equal(res.text, '<definitions/>');
    });

    it('user tasks: get, assignment 204, unassign 204, completion 204, form 204', async () => {
      impl.getUserTask = async () => userTask;
      impl.getUserTaskForm = async () => null;
      impl.assignUserTask = async () => undefined;
      impl.unassignUserTask = async () => undefined;
      impl.completeUserTask = async () => undefined;
      let res = await send('GET', '/v2/user-tasks/2251799813685260');
      assert.equal(res.status, 200);
      assert.equal(res.json.userTaskKey, '2251799813685260');
      assert.equal('formLink' in res.json, false);
      assert.equal('assignee' in res.json, false);

      res = await send('POST', '/v2/user-tasks/1/assignment', { assignee: 'demo', allowOverride: false, action: null });
      assert.equal(res.status, 204);
      assert.deepEqual(calls.at(-1)!.args, ['1', 'demo', { allowOverride: false }]);
      res = await send('DELETE', '/v2/user-tasks/1/assignee');
      assert.equal(res.status, 204);
      res = await send('POST', '/v2/user-tasks/1/completion', { variables: { ok: true } });
      assert.equal(res.status, 204);
      assert.deepEqual(calls.at(-1)!.args.slice(0, 2), ['1', { ok: true }]);
      res = await send('GET', '/v2/user-tasks/1/form');
      assert.equal(res.status, 204);
    });

    it('GET /user-tasks/{key}/form → 200 with a formResolver', async () => {
      const runtime = stubRuntime(() => ({ getUserTask: async () => userTask }), []);
      const form = { formKey: '1', formId: 'approve-form', version: 1, tenantId: '<default>', schema: JSON.stringify({ components: [] }) };
      const router = createV2Router(runtime, { access: 'unprotected', formResolver: async (task) => (task.userTaskKey === '2251799813685260' ? form : null) });
      // createApp answers unknown paths itself (problem+json 404), so the router gets an app of its own.
      const app = express();
      app.use('/alt', router);
      const alt = app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => alt.once('listening', () => resolve()));
      try {
        const res = await fetch(`http://127.0.0.1:${(alt.address() as AddressInfo).port}/alt/user-tasks/2251799813685260/form`);
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), form);
      } finally {
        alt.closeAllConnections();
        await new Promise<void>((resolve) => alt.close(() => resolve()));
      }
    });

    it('POST /jobs/activation → 200 {jobs}, int64 strings normalised', async () => {
      impl.activateJobs = async () => [job];
      const res = await send('POST', '/v2/jobs/activation', { type: 'charge', worker: 'w1', timeout: '60000', maxJobsToActivate: 5, requestTimeout: '0' });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json, { jobs: [job] });
      assert.deepEqual(calls[0]!.args[0], { type: 'charge', worker: 'w1', timeout: 60000, maxJobsToActivate: 5, requestTimeout: 0 });
      assert.ok(calls[0]!.args[1] instanceof AbortSignal);
    });

    it('POST /jobs/activation aborts the long poll when the client disconnects', async () => {
      let aborted!: () => void;
      const wasAborted = new Promise<void>((resolve) => { aborted = resolve; });
      impl.activateJobs = (_req: ActivateJobs, signal?: AbortSignal) => new Promise((resolve) => {
        signal?.addEventListener('abort', () => { aborted(); resolve([]); });
      });
      const client = new AbortController();
      const pending = fetch(`${base}/v2/jobs/activation`, {
        method: 'POST', signal: client.signal, headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'charge', timeout: 1000, maxJobsToActivate: 1, requestTimeout: 60000 }),
      }).catch((e: unknown) => e);
      while (calls.length === 0) await new Promise((r) => setTimeout(r, 5));
      client.abort();
      await wasAborted;
      assert.ok((await pending) instanceof Error);
    });

    it('job completion, failure, error → 204', async () => {
      impl.completeJob = async () => undefined;
      impl.failJob = async () => undefined;
      impl.throwJobError = async () => undefined;
      assert.equal((await send('POST', '/v2/jobs/1/completion', { variables: { x: 1 } })).status, 204);
      assert.equal((await send('POST', '/v2/jobs/1/completion')).status, 204);
      assert.equal((await send('POST', '/v2/jobs/1/failure', { retries: 2, errorMessage: 'boom', retryBackOff: '1000' })).status, 204);
      assert.equal((await send('POST', '/v2/jobs/1/failure')).status, 204);
      assert.equal((await send('POST', '/v2/jobs/1/error', { errorCode: 'E1', errorMessage: null, variables: null })).status, 204);
      assert.deepEqual(calls.map((c) => [c.method, ...c.args]), [
        ['completeJob', '1', { x: 1 }],
        ['completeJob', '1', undefined],
        ['failJob', '1', { retries: 2, errorMessage: 'boom', retryBackOff: 1000 }],
        ['failJob', '1', { retries: 0 }],
        ['throwJobError', '1', { errorCode: 'E1' }],
      ]);
    });

    it('messages: publication 200, correlation 200', async () => {
      impl.publishMessage = async () => ({ tenantId: '<default>', messageKey: '77' });
      impl.correlateMessage = async () => ({ tenantId: '<default>', messageKey: '78', processInstanceKey: '9' });
      let res = await send('POST', '/v2/messages/publication', { name: 'paid', correlationKey: 'o-1', timeToLive: '30000', variables: { x: 1 } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { tenantId: '<default>', messageKey: '77' });
      assert.deepEqual(calls[0]!.args[0], { name: 'paid', correlationKey: 'o-1', timeToLive: 30000, variables: { x: 1 } });
      res = await send('POST', '/v2/messages/correlation', { name: 'paid', correlationKey: 'o-1' });
      assert.equal(res.status, 200);
      assert.equal(res.json.processInstanceKey, '9');
    });

    it('variables search honours truncateValues; incidents resolution → 204', async () => {
      impl.searchVariables = async () => ({
        items: [{ name: 'big', value: '"aaa', fullValue: '"aaaaaa"', tenantId: '<default>', isTruncated: true, variableKey: '1', scopeKey: '2', processInstanceKey: '2' }],
        page: { totalItems: 1 },
      });
      let res = await send('POST', '/v2/variables/search', { filter: { processInstanceKey: '2' } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json.items[0], { name: 'big', value: '"aaa', tenantId: '<default>', isTruncated: true, variableKey: '1', scopeKey: '2', processInstanceKey: '2' });
      res = await send('POST', '/v2/variables/search?truncateValues=false', {});
      assert.equal(res.json.items[0].value, '"aaaaaa"');
      assert.equal(res.json.items[0].isTruncated, false);

      impl.resolveIncident = async () => undefined;
      res = await send('POST', '/v2/incidents/5/resolution');
      assert.equal(res.status, 204);
    });
  });

  describe('POST /deployments (multipart)', () => {
    const bpmn = '<?xml version="1.0"?><definitions/>';

    async function deploy(form: FormData) {
      const res = await fetch(`${base}/v2/deployments`, { method: 'POST', body: form });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined };
    }

    it('deploys 1..n files → 200', async () => {
      impl.deploy = async (resources, tenantId) => ({
        deploymentKey: '100', tenantId: tenantId ?? '<default>',
        deployments: resources.map((r, i) => ({ processDefinition: {
          processDefinitionId: `p${i}`, processDefinitionVersion: 1, resourceName: r.name, tenantId: '<default>', processDefinitionKey: String(200 + i),
        } })),
      });
      const form = new FormData();
      form.append('resources', new Blob([bpmn]), 'a.bpmn');
      form.append('resources', new Blob([bpmn]), 'b.bpmn');
      form.append('tenantId', '<default>');
      const res = await deploy(form);
      assert.equal(res.status, 200, JSON.stringify(res.json));
      assert.equal(res.json.deploymentKey, '100');
      assert.equal(res.json.deployments[1].processDefinition.resourceName, 'b.bpmn');
      const [resources, tenantId] = calls[0]!.args as [Array<{ name: string; content: Buffer }>, string];
      assert.deepEqual(resources.map((r) => [r.name, r.content.toString()]), [['a.bpmn', bpmn], ['b.bpmn', bpmn]]);
      assert.equal(tenantId, '<default>');
    });

    it('refuses bad uploads before the runtime', async () => {
      const check = async (form: FormData, status: number, detail: RegExp) => {
        const res = await deploy(form);
        assert.equal(res.status, status, JSON.stringify(res.json));
        assert.match(res.json.detail, detail);
        assert.deepEqual(calls, []);
      };
      await check(new FormData(), 400, /^body\/resources must contain at least one file$/);
      let form = new FormData();
      form.append('other', new Blob([bpmn]), 'a.bpmn');
      await check(form, 400, /files must be sent in the 'resources' field/);
      form = new FormData();
      form.append('resources', new Blob(['x'.repeat(4096)]), 'big.bpmn');
      await check(form, 413, /per-file size limit/);
      form = new FormData();
      for (let i = 0; i < 4; i++) form.append('resources', new Blob([bpmn]), `f${i}.bpmn`);
      await check(form, 413, /too many resources in one deployment/);
      form = new FormData();
      form.append('resources', new Blob([bpmn]), 'a.bpmn');
      form.append('tenantId', 'bad tenant!');
      await check(form, 400, /^body\/tenantId must be '<default>'/);
      form = new FormData();
      form.append('resources', new Blob([bpmn]), 'a.bpmn');
      form.append('$where', '1');
      await check(form, 400, /^body\/\$where is not allowed$/);
      form = new FormData();
      form.append('resources', new Blob([]), 'empty.bpmn');
      await check(form, 400, /is empty/);

      const res = await send('POST', '/v2/deployments', { resources: ['a'] });
      assert.equal(res.status, 415);
      const broken = await fetch(`${base}/v2/deployments`, {
        method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, body: '--xyz\r\nContent-Disposition: form-data; name="resources"; filename="a.bpmn"\r\n\r\nunterminated',
      });
      assert.equal(broken.status, 400);
      assert.match((await broken.json()).detail, /malformed multipart/);
    });
  });

  describe('every endpoint validates', () => {
    it('all routes declare schemas; path params always have one', () => {
      const router = createV2Router(stubRuntime(() => ({}), []), { access: 'unprotected' });
      assert.equal(router.routes.length, 28);
      for (const r of router.routes) {
        if (r.path.includes('/:')) assert.ok(r.schemas.params, `${r.method} ${r.path}`);
      }
    });
  });

  describe('Camunda 8.8 client against the stub', () => {
    it('strict request/response validation passes for common calls', async () => {
      const camunda = createCamundaClient({
        config: {
          CAMUNDA_REST_ADDRESS: base,
          CAMUNDA_AUTH_STRATEGY: 'NONE',
          CAMUNDA_SDK_VALIDATION: 'req:strict,res:strict',
          CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
          CAMUNDA_SDK_LOG_LEVEL: 'silent',
        } as never,
      });
      impl.createProcessInstance = async () => ({
        processDefinitionId: 'order', processDefinitionVersion: 2, tenantId: '<default>', variables: {},
        processDefinitionKey: '2251799813685249', processInstanceKey: '2251799813685251',
      });
      impl.activateJobs = async () => [job];
      impl.completeJob = async () => undefined;
      impl.searchProcessInstances = async () => ({ items: [processInstance], page: { totalItems: 1 } });
      impl.getUserTask = async () => userTask;
      impl.cancelProcessInstance = async () => undefined;
      impl.failJob = async () => undefined;
      impl.deploy = async (resources) => ({
        deploymentKey: '100', tenantId: '<default>',
        deployments: [{ processDefinition: { processDefinitionId: 'order', processDefinitionVersion: 1, resourceName: resources[0]!.name, tenantId: '<default>', processDefinitionKey: '2251799813685249' } }],
      });

      const deployed = await camunda.createDeployment({ resources: [new File(['<definitions/>'], 'order.bpmn')] });
      assert.equal(deployed.processes[0]!.processDefinitionKey, '2251799813685249');
      const created = await camunda.createProcessInstance({ processDefinitionId: 'order' as never, variables: { a: 1 } });
      assert.equal(created.processInstanceKey, '2251799813685251');
      const activated = await camunda.activateJobs({ type: 'charge', timeout: 30000, maxJobsToActivate: 1, worker: 'w' });
      assert.equal(activated.jobs.length, 1);
      await camunda.completeJob({ jobKey: job.jobKey as never, variables: { ok: true } });
      await camunda.failJob({ jobKey: job.jobKey as never, retries: 2, errorMessage: 'boom', retryBackOff: 500 });
      await assert.rejects(camunda.activateJobs({ type: 'charge', timeout: 30000, maxJobsToActivate: 0 }), (e: { status?: number; detail?: string }) => {
        assert.equal(e.status, 400);
        assert.equal(e.detail, 'body/maxJobsToActivate must be >= 1');
        return true;
      });
      const now = { consistency: { waitUpToMs: 0 } };
      const found = await camunda.searchProcessInstances({ filter: { state: 'ACTIVE' } }, now);
      assert.equal(found.items.length, 1);
      const task = await camunda.getUserTask({ userTaskKey: userTask.userTaskKey as never }, now);
      assert.equal(task.userTaskKey, userTask.userTaskKey);
      await camunda.cancelProcessInstance({ processInstanceKey: processInstance.processInstanceKey as never });
      assert.deepEqual(calls.map((c) => c.method), ['deploy', 'createProcessInstance', 'activateJobs', 'completeJob', 'failJob', 'searchProcessInstances', 'getUserTask', 'cancelProcessInstance']);
    });
  });
});
