// The permission matrix (docs/security.md), role × endpoint, table-driven: every /v2 route (the
// test fails if a route is missing from the table) and every /api and /oauth route, called by an
// anonymous caller, one user per role and the worker client. Expected: 401 for the anonymous
// caller on protected endpoints; for a role without the endpoint's permission a 403 problem that
// names the permission; for a role with it, anything but 401 and a permission denial (the calls
// use keys that do not exist, so most answer 404 or 400; record-level rules have their own tests).

import assert from 'node:assert/strict';
import { createV2Router } from '../engine/rest/index.ts';
import { DEMO_PASSWORD, DEMO_WORKER } from '../web/identity/bootstrap.ts';
import { ROLE_PERMISSIONS } from '../web/access/policy.ts';
import { bpmn, flow } from './helpers/bpmn.ts';
import { ANONYMOUS, basic, deployment, startSecureApp, type Caller, type SecureApp } from './helpers/secure-app.ts';

type Who = 'administrator' | 'committee' | 'grid-leader' | 'cadre' | 'mentor' | 'department-officer' | 'worker';

const CALLERS: Record<Who | 'anonymous', Caller> = {
  anonymous: ANONYMOUS,
  administrator: basic('admin', DEMO_PASSWORD),
  committee: basic('committee', DEMO_PASSWORD),
  'grid-leader': basic('leader', DEMO_PASSWORD),
  cadre: basic('cadre', DEMO_PASSWORD),
  mentor: basic('mentor', DEMO_PASSWORD),
  'department-officer': basic('officer', DEMO_PASSWORD),
  worker: basic(DEMO_WORKER.clientId, DEMO_WORKER.secret),
};

const HUMANS: Who[] = ['administrator', 'committee', 'grid-leader', 'cadre', 'mentor', 'department-officer'];
const EVERYONE: Who[] = [...HUMANS, 'worker'];
const PUBLIC = 'public' as const;

const tinyXml = bpmn('matrix_tiny', `<bpmn:startEvent id="start"/>${flow('f1', 'start', 'end')}<bpmn:endEvent id="end"/>`);

interface Row { method: string; path: string; route?: string; body?: () => unknown; allowed: Who[] | typeof PUBLIC; permission?: string }

// The documented matrix. `route` is the router's path for the coverage check.
const MATRIX: Row[] = [
  { method: 'GET', path: '/v2/topology', route: '/topology', allowed: EVERYONE },
  { method: 'POST', path: '/v2/deployments', route: '/deployments', body: () => deployment(['tiny.bpmn', tinyXml]), allowed: ['administrator'], permission: 'deploy' },
  { method: 'POST', path: '/v2/process-definitions/search', route: '/process-definitions/search', body: () => ({}), allowed: HUMANS, permission: 'definitions.read' },
  { method: 'GET', path: '/v2/process-definitions/1', route: '/process-definitions/:processDefinitionKey', allowed: HUMANS, permission: 'definitions.read' },
  { method: 'GET', path: '/v2/process-definitions/1/xml', route: '/process-definitions/:processDefinitionKey/xml', allowed: HUMANS, permission: 'definitions.read' },
  { method: 'POST', path: '/v2/process-instances', route: '/process-instances', body: () => ({ processDefinitionId: 'matrix_none', variables: { gridId: 3 } }), allowed: ['administrator', 'committee', 'grid-leader', 'cadre', 'department-officer'], permission: 'instances.start' },
  { method: 'POST', path: '/v2/process-instances/search', route: '/process-instances/search', body: () => ({}), allowed: HUMANS, permission: 'instances.read' },
  { method: 'GET', path: '/v2/process-instances/1', route: '/process-instances/:processInstanceKey', allowed: HUMANS, permission: 'instances.read' },
  { method: 'POST', path: '/v2/process-instances/1/cancellation', route: '/process-instances/:processInstanceKey/cancellation', body: () => ({}), allowed: ['administrator', 'committee', 'grid-leader'], permission: 'instances.cancel' },
  { method: 'GET', path: '/v2/process-instances/1/history', route: '/process-instances/:processInstanceKey/history', allowed: HUMANS, permission: 'instances.read' },
  { method: 'POST', path: '/v2/element-instances/search', route: '/element-instances/search', body: () => ({}), allowed: HUMANS, permission: 'instances.read' },
  { method: 'POST', path: '/v2/user-tasks/search', route: '/user-tasks/search', body: () => ({}), allowed: HUMANS, permission: 'tasks.read' },
  { method: 'GET', path: '/v2/user-tasks/1', route: '/user-tasks/:userTaskKey', allowed: HUMANS, permission: 'tasks.read' },
  { method: 'POST', path: '/v2/user-tasks/1/assignment', route: '/user-tasks/:userTaskKey/assignment', body: () => ({ assignee: 'cadre' }), allowed: HUMANS, permission: 'tasks.read' },
  { method: 'DELETE', path: '/v2/user-tasks/1/assignee', route: '/user-tasks/:userTaskKey/assignee', allowed: HUMANS, permission: 'tasks.read' },
  { method: 'POST', path: '/v2/user-tasks/1/completion', route: '/user-tasks/:userTaskKey/completion', body: () => ({}), allowed: HUMANS, permission: 'tasks.complete' },
  { method: 'GET', path: '/v2/user-tasks/1/form', route: '/user-tasks/:userTaskKey/form', allowed: HUMANS, permission: 'tasks.read' },
  { method: 'POST', path: '/v2/user-tasks/1/variables/search', route: '/user-tasks/:userTaskKey/variables/search', body: () => ({}), allowed: HUMANS, permission: 'tasks.read' },
  { method: 'POST', path: '/v2/jobs/activation', route: '/jobs/activation', body: () => ({ type: 'matrix-none', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 }), allowed: ['worker'], permission: 'jobs.work' },
  { method: 'POST', path: '/v2/jobs/1/completion', route: '/jobs/:jobKey/completion', body: () => ({}), allowed: ['worker'], permission: 'jobs.work' },
  { method: 'POST', path: '/v2/jobs/1/failure', route: '/jobs/:jobKey/failure', body: () => ({ retries: 0 }), allowed: ['worker'], permission: 'jobs.work' },
  { method: 'POST', path: '/v2/jobs/1/error', route: '/jobs/:jobKey/error', body: () => ({ errorCode: 'E' }), allowed: ['worker'], permission: 'jobs.work' },
  { method: 'POST', path: '/v2/messages/publication', route: '/messages/publication', body: () => ({ name: 'matrix-none', correlationKey: 'k', timeToLive: 0 }), allowed: ['administrator', 'worker'], permission: 'messages.publish' },
  { method: 'POST', path: '/v2/messages/correlation', route: '/messages/correlation', body: () => ({ name: 'matrix-none', correlationKey: 'k' }), allowed: ['administrator'], permission: 'messages.correlate' },
  { method: 'POST', path: '/v2/variables/search', route: '/variables/search', body: () => ({}), allowed: HUMANS, permission: 'instances.read' },
  { method: 'POST', path: '/v2/incidents/search', route: '/incidents/search', body: () => ({}), allowed: HUMANS, permission: 'instances.read' },
  { method: 'GET', path: '/v2/incidents/1', route: '/incidents/:incidentKey', allowed: HUMANS, permission: 'instances.read' },
  { method: 'POST', path: '/v2/incidents/1/resolution', route: '/incidents/:incidentKey/resolution', body: () => ({}), allowed: ['administrator'], permission: 'incidents.resolve' },

  { method: 'GET', path: '/api/session', allowed: PUBLIC },
  { method: 'POST', path: '/api/logout', allowed: EVERYONE },
  { method: 'POST', path: '/api/me/password', body: () => ({}), allowed: EVERYONE },
  { method: 'GET', path: '/api/forms', allowed: ['administrator'], permission: 'forms.manage' },
  { method: 'GET', path: '/api/forms/nothing/versions', allowed: ['administrator'], permission: 'forms.manage' },
  { method: 'GET', path: '/api/forms/nothing', allowed: ['administrator'], permission: 'forms.manage' },
  { method: 'GET', path: '/api/forms/nothing/versions/1', allowed: ['administrator'], permission: 'forms.manage' },
  { method: 'POST', path: '/api/forms', body: () => ({}), allowed: ['administrator'], permission: 'forms.manage' },
  { method: 'POST', path: '/api/forms/preview', body: () => ({ schema: { components: [] } }), allowed: ['administrator'], permission: 'forms.manage' },
  { method: 'POST', path: '/api/user-tasks/1/completion', body: () => ({}), allowed: HUMANS, permission: 'tasks.complete' },
  { method: 'GET', path: '/api/users', allowed: ['administrator'], permission: 'users.manage' },
  { method: 'POST', path: '/api/users', body: () => ({}), allowed: ['administrator'], permission: 'users.manage' },
  { method: 'GET', path: '/api/users/admin', allowed: ['administrator'], permission: 'users.manage' },
  { method: 'PATCH', path: '/api/users/nobody', body: () => ({ displayName: 'Nobody' }), allowed: ['administrator'], permission: 'users.manage' },
  { method: 'POST', path: '/api/users/nobody/password', body: () => ({ password: 'correct-horse-battery-7' }), allowed: ['administrator'], permission: 'users.manage' },
  { method: 'GET', path: '/api/groups', allowed: ['administrator'], permission: 'users.manage' },
  { method: 'POST', path: '/api/groups', body: () => ({}), allowed: ['administrator'], permission: 'users.manage' },
  { method: 'GET', path: '/api/clients', allowed: ['administrator'], permission: 'users.manage' },
  { method: 'POST', path: '/api/clients', body: () => ({}), allowed: ['administrator'], permission: 'users.manage' },
  { method: 'PATCH', path: '/api/clients/nobody', body: () => ({ disabled: true }), allowed: ['administrator'], permission: 'users.manage' },
  { method: 'GET', path: '/api/audit', allowed: ['administrator'], permission: 'audit.read' },
  { method: 'GET', path: '/api/audit/verify', allowed: ['administrator'], permission: 'audit.read' },
  { method: 'POST', path: '/oauth/token', body: () => new URLSearchParams({ grant_type: 'none' }), allowed: PUBLIC },
  { method: 'GET', path: '/oauth/jwks', allowed: PUBLIC },
];

describe('access: the role × endpoint matrix', function () {
  this.timeout(120_000);
  let app: SecureApp;

  before(async () => {
    app = await startSecureApp('access_matrix');
  });

  after(() => app.close());

  it('covers every /v2 route the router registers', () => {
    const router = createV2Router(app.runtime, { access: 'unprotected' });
    const registered = router.routes.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort();
    const table = MATRIX.filter((r) => r.route !== undefined).map((r) => `${r.method} ${r.route}`).sort();
    assert.deepEqual(table, registered);
    // The table's permission is the one the route declares.
    for (const row of MATRIX.filter((r) => r.route !== undefined && r.permission !== undefined)) {
      const route = router.routes.find((x) => x.method.toUpperCase() === row.method && x.path === row.route)!;
      assert.equal(route.access, row.permission, `${row.method} ${row.route}`);
    }
  });

  it('the table agrees with the role → permission policy', () => {
    for (const row of MATRIX) {
      if (row.permission === undefined || row.allowed === PUBLIC) continue;
      const byPolicy = EVERYONE.filter((who) => (ROLE_PERMISSIONS[who] as readonly string[]).includes(row.permission!));
      assert.deepEqual([...row.allowed].sort(), byPolicy.sort(), `${row.method} ${row.path} (${row.permission})`);
    }
  });

  const whos = Object.keys(CALLERS) as Array<Who | 'anonymous'>;
  const cases = MATRIX.flatMap((row) => whos.map((who) => ({ row, who })));

  it(`answers each of the ${cases.length} role × endpoint calls as the matrix says (${MATRIX.length} endpoints × ${whos.length} callers)`, async () => {
    const failures: string[] = [];
    for (const { row, who } of cases) {
      const r = await app.call(CALLERS[who], row.method, row.path, row.body?.());
      const label = `${who} ${row.method} ${row.path} → ${r.status} ${r.json?.detail ?? r.json?.error ?? ''}`;
      const permissionDenied = r.status === 403 && /lacks the permission/.test(String(r.json?.detail));
      if (row.allowed === PUBLIC) {
        if (r.status === 401 || r.status === 403) failures.push(`${label}: public endpoint refused`);
      } else if (who === 'anonymous') {
        if (r.status !== 401 || !/problem\+json/.test(r.type)) failures.push(`${label}: expected 401 problem+json`);
      } else if (row.allowed.includes(who)) {
        if (r.status === 401 || permissionDenied) failures.push(`${label}: expected to be allowed`);
      } else if (!permissionDenied || !/problem\+json/.test(r.type) || !String(r.json.detail).includes(`'${row.permission}'`)) {
        failures.push(`${label}: expected 403 naming '${row.permission}'`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
