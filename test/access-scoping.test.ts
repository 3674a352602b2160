// Record-level access on the real runtime: grid scoping (a cadre of grid 3 does not see grid 5's
// tasks, instances, variables, element instances or history), involvement (a department officer
// sees the case referred to its group), who may claim, assign and complete a user task, and that
// completions carry the caller's identity into the runtime's history and the audit trail.

import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from '../web/identity/bootstrap.ts';
import { bpmn, flow, userTask } from './helpers/bpmn.ts';
import { basic, deployment, startSecureApp, type Caller, type SecureApp } from './helpers/secure-app.ts';

const gridCaseXml = bpmn('scope_case', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'handle')}
  ${userTask('handle', '<zeebe:assignmentDefinition candidateGroups="=&quot;grid-&quot; + string(gridId)"/>', 'Handle the demand')}${flow('f2', 'handle', 'end')}
  <bpmn:endEvent id="end"/>`);

const referralXml = bpmn('scope_referral', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'review')}
  ${userTask('review', '<zeebe:assignmentDefinition candidateGroups="dept-market"/>', 'Department review')}${flow('f2', 'review', 'end')}
  <bpmn:endEvent id="end"/>`);

describe('access: grid scoping and user task rules', function () {
  this.timeout(60_000);
  let app: SecureApp;
  let admin: Caller, committee: Caller, officer: Caller, mentor: Caller, worker: Caller;
  let cadre3: Caller, cadre3b: Caller, cadre5: Caller, leader3: Caller;
  const pi: Record<'A3' | 'A5' | 'C3' | 'R5', string> = {} as never;
  const task: Record<'A3' | 'A5' | 'C3' | 'R5', string> = {} as never;

  const ok = async (p: Promise<{ status: number; text: string; json: any }>, status = 200) => {
    const r = await p;
    assert.equal(r.status, status, r.text);
    return r.json;
  };
  const denied = async (p: Promise<{ status: number; text: string; json: any; type: string }>, detail: RegExp) => {
    const r = await p;
    assert.equal(r.status, 403, r.text);
    assert.match(r.type, /^application\/problem\+json/);
    assert.match(r.json.detail, detail);
  };
  const search = async (as: Caller, what: string, filter: Record<string, unknown> = {}) =>
    ok(app.call(as, 'POST', `/v2/${what}/search`, { filter, page: { limit: 100 } })) as Promise<{ items: any[]; page: { totalItems: number } }>;
  const keysOf = (items: any[], field = 'processInstanceKey') => items.map((x) => x[field]).sort();
  const start = async (as: Caller, processDefinitionId: string, variables?: Record<string, unknown>) =>
    (await ok(app.call(as, 'POST', '/v2/process-instances', { processDefinitionId, ...(variables && { variables }) }))).processInstanceKey as string;
  async function taskOf(processInstanceKey: string): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const items = (await search(admin, 'user-tasks', { processInstanceKey, state: 'CREATED' })).items;
      if (items.length > 0) return items[0].userTaskKey;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no task for ${processInstanceKey}`);
  }

  before(async () => {
    app = await startSecureApp('access_scoping');
    admin = basic('admin', DEMO_PASSWORD);
    committee = basic('committee', DEMO_PASSWORD);
    officer = basic('officer', DEMO_PASSWORD);
    mentor = basic('mentor', DEMO_PASSWORD);
    worker = basic('demo-worker', 'demo-worker-secret');
    cadre3 = await app.user('cadre3', ['cadre'], ['grid-3']);
    cadre3b = await app.user('cadre3b', ['cadre'], ['grid-3']);
    cadre5 = await app.user('cadre5', ['cadre'], ['grid-5']);
    leader3 = await app.user('leader3', ['grid-leader'], ['grid-3']);
    await ok(app.call(admin, 'POST', '/v2/deployments', deployment(['case.bpmn', gridCaseXml], ['referral.bpmn', referralXml])));
    pi.A3 = await start(admin, 'scope_case', { gridId: 3, enterprise: 'A3 Ltd' });
    pi.A5 = await start(admin, 'scope_case', { gridId: 5, enterprise: 'A5 Ltd' });
    pi.C3 = await start(cadre3, 'scope_case', { enterprise: 'C3 Ltd' }); // gridId filled in: 3
    pi.R5 = await start(admin, 'scope_referral', { gridId: 5, enterprise: 'R5 Ltd' });
    for (const k of ['A3', 'A5', 'C3', 'R5'] as const) task[k] = await taskOf(pi[k]);
  });

  after(() => app.close());

  it('a grid-bound caller starts instances in its own grid only; gridId is filled in for one grid', async () => {
    const vars = await search(admin, 'variables', { processInstanceKey: pi.C3, name: 'gridId' });
    assert.deepEqual(vars.items.map((v) => v.value), ['3']);
    await denied(app.call(cadre3, 'POST', '/v2/process-instances', { processDefinitionId: 'scope_case', variables: { gridId: 5 } }), /own grids \(grid-3\), not with gridId 5/);
    const task = (await search(admin, 'user-tasks', { processInstanceKey: pi.C3 })).items[0];
    assert.deepEqual(task.candidateGroups, ['grid-3']);
  });

  it('user task search: grid 3 sees grid 3, grid 5 sees grid 5, totals count only what is visible', async () => {
    const c3 = await search(cadre3, 'user-tasks');
    assert.deepEqual(keysOf(c3.items), [pi.A3, pi.C3].sort());
    assert.equal(c3.page.totalItems, 2);
    const c5 = await search(cadre5, 'user-tasks');
    assert.deepEqual(keysOf(c5.items), [pi.A5, pi.R5].sort());
    assert.equal(c5.page.totalItems, 2);
    assert.equal((await search(committee, 'user-tasks')).page.totalItems, 4, 'the committee sees the whole zone');
    assert.equal((await search(admin, 'user-tasks')).page.totalItems, 4);
    // A filter cannot widen the view.
    assert.equal((await search(cadre3, 'user-tasks', { processInstanceKey: pi.A5 })).page.totalItems, 0);
    assert.equal((await search(cadre3, 'user-tasks', { candidateGroup: 'grid-5' })).page.totalItems, 0);
    // Paging applies to what is visible.
    const page = await ok(app.call(cadre3, 'POST', '/v2/user-tasks/search', { page: { from: 1, limit: 1 } }));
    assert.equal(page.items.length, 1);
    assert.equal(page.page.totalItems, 2);
  });

  it('process instances, variables, element instances and incidents follow the same rule', async () => {
    assert.deepEqual(keysOf((await search(cadre3, 'process-instances')).items), [pi.A3, pi.C3].sort());
    assert.deepEqual(keysOf((await search(cadre5, 'process-instances')).items), [pi.A5, pi.R5].sort());
    assert.deepEqual(keysOf((await search(mentor, 'process-instances')).items), [], 'no grid, no task: nothing');
    const vars = await search(cadre3, 'variables', { name: 'enterprise' });
    assert.deepEqual(vars.items.map((v) => JSON.parse(v.value)).sort(), ['A3 Ltd', 'C3 Ltd']);
    assert.equal((await search(cadre3, 'element-instances', { processInstanceKey: pi.A5 })).page.totalItems, 0);
    assert.ok((await search(cadre5, 'element-instances', { processInstanceKey: pi.A5 })).page.totalItems > 0);
    assert.equal((await search(cadre3, 'incidents')).page.totalItems, 0);
  });

  it('gets of another grid\'s records are 403 with the reason; the own grid\'s are 200', async () => {
    await denied(app.call(cadre3, 'GET', `/v2/process-instances/${pi.A5}`), /may not see process instance .* not in the caller's grids \(grid-3\)/);
    await denied(app.call(cadre3, 'GET', `/v2/process-instances/${pi.A5}/history`), /may not see process instance/);
    await denied(app.call(cadre3, 'GET', `/v2/user-tasks/${task.A5}`), /may not see user task/);
    await denied(app.call(cadre3, 'GET', `/v2/user-tasks/${task.A5}/form`), /may not see user task/);
    await ok(app.call(cadre3, 'GET', `/v2/process-instances/${pi.A3}`));
    await ok(app.call(cadre3, 'GET', `/v2/process-instances/${pi.A3}/history`));
    await ok(app.call(cadre3, 'GET', `/v2/user-tasks/${task.A3}`));
    assert.equal((await app.call(cadre3, 'GET', '/v2/process-instances/999999')).status, 404);
  });

  it('a department officer sees the case referred to its group, and nothing else', async () => {
    const tasks = await search(officer, 'user-tasks');
    assert.deepEqual(tasks.items.map((t) => t.userTaskKey), [task.R5]);
    assert.deepEqual(keysOf((await search(officer, 'process-instances')).items), [pi.R5]);
    const vars = await search(officer, 'variables', { name: 'enterprise' });
    assert.deepEqual(vars.items.map((v) => JSON.parse(v.value)), ['R5 Ltd']);
    await ok(app.call(officer, 'GET', `/v2/process-instances/${pi.R5}/history`));
    await denied(app.call(officer, 'GET', `/v2/process-instances/${pi.A5}`), /may not see/);
  });

  it('completion: only the assignee; a candidate claims first; others cannot claim', async () => {
    await denied(app.call(cadre3, 'POST', `/v2/user-tasks/${task.A3}/completion`, {}), /not assigned: user 'cadre3' \(cadre\) must claim it/);
    await denied(app.call(cadre5, 'POST', `/v2/user-tasks/${task.A3}/assignment`, { assignee: 'cadre5' }), /may not see user task/);
    await denied(app.call(mentor, 'POST', `/v2/user-tasks/${task.A3}/assignment`, { assignee: 'mentor' }), /may not see user task/);
    await ok(app.call(cadre3, 'POST', `/v2/user-tasks/${task.A3}/assignment`, { assignee: 'cadre3' }), 204);
    await denied(app.call(cadre3b, 'POST', `/v2/user-tasks/${task.A3}/completion`, {}), /assigned to 'cadre3': only its assignee may complete it/);
    await denied(app.call(cadre3b, 'POST', `/v2/user-tasks/${task.A3}/assignment`, { assignee: 'cadre3b', allowOverride: true }), /may not reassign user task .* 'tasks.assign'/);
    await denied(app.call(worker, 'POST', `/v2/user-tasks/${task.A3}/completion`, {}), /lacks the permission 'tasks.complete'/);
    await ok(app.call(cadre3, 'POST', `/v2/user-tasks/${task.A3}/completion`, { variables: { outcome: 'resolved' } }), 204);
    const history = (await ok(app.call(cadre3, 'GET', `/v2/process-instances/${pi.A3}/history`))).items as any[];
    const done = history.find((h) => h.event === 'USER_TASK_COMPLETED');
    assert.equal(done?.by, 'cadre3', 'the runtime recorded who completed it');
  });

  it('grid leaders reassign within their grid, to members of that grid or candidates; cadres cannot assign others', async () => {
    await denied(app.call(cadre3, 'POST', `/v2/user-tasks/${task.C3}/assignment`, { assignee: 'cadre3b' }), /'tasks.assign'/);
    await ok(app.call(leader3, 'POST', `/v2/user-tasks/${task.C3}/assignment`, { assignee: 'cadre3' }), 204);
    await ok(app.call(leader3, 'POST', `/v2/user-tasks/${task.C3}/assignment`, { assignee: 'cadre3b', allowOverride: true }), 204);
    await denied(app.call(leader3, 'POST', `/v2/user-tasks/${task.C3}/assignment`, { assignee: 'cadre5', allowOverride: true }), /only to members of grid-3 or its candidates; 'cadre5' is neither/);
    await denied(app.call(leader3, 'POST', `/v2/user-tasks/${task.C3}/assignment`, { assignee: 'ghost', allowOverride: true }), /no such enabled user/);
    await denied(app.call(leader3, 'POST', `/v2/user-tasks/${task.A5}/assignment`, { assignee: 'cadre5' }), /may not see user task/);
    await denied(app.call(cadre3, 'DELETE', `/v2/user-tasks/${task.C3}/assignee`), /may not unassign/);
    await ok(app.call(cadre3b, 'DELETE', `/v2/user-tasks/${task.C3}/assignee`), 204); // the assignee gives it back
    // The committee assigns anywhere.
    await ok(app.call(committee, 'POST', `/v2/user-tasks/${task.A5}/assignment`, { assignee: 'cadre5' }), 204);
  });

  it('a department officer claims and completes the referred task', async () => {
    await ok(app.call(officer, 'POST', `/v2/user-tasks/${task.R5}/assignment`, { assignee: 'officer' }), 204);
    await ok(app.call(officer, 'POST', `/v2/user-tasks/${task.R5}/completion`, {}), 204);
  });

  it('grid leaders cancel their grid\'s instances only', async () => {
    const other = await start(admin, 'scope_case', { gridId: 5 });
    const mine = await start(admin, 'scope_case', { gridId: 3 });
    await denied(app.call(leader3, 'POST', `/v2/process-instances/${other}/cancellation`, {}), /own grids only/);
    await denied(app.call(cadre3, 'POST', `/v2/process-instances/${mine}/cancellation`, {}), /lacks the permission 'instances.cancel'/);
    await ok(app.call(leader3, 'POST', `/v2/process-instances/${mine}/cancellation`, {}), 204);
  });

  it('claims, assignments and completions are in the audit trail with before and after', async () => {
    const entries = await app.auth.trail.list(1, 1000);
    const claim = entries.find((e) => e.action === 'task.claim' && e.target === `user-task/${task.A3}`)!;
    assert.deepEqual(claim.actor, { kind: 'user', id: 'cadre3' });
    assert.deepEqual(JSON.parse(claim.before!), { assignee: null });
    assert.deepEqual(JSON.parse(claim.after!), { assignee: 'cadre3' });
    const reassign = entries.find((e) => e.action === 'task.assign' && e.actor?.id === 'leader3' && JSON.parse(e.after!).assignee === 'cadre3b')!;
    assert.deepEqual(JSON.parse(reassign.before!), { assignee: 'cadre3' });
    const done = entries.find((e) => e.action === 'task.complete' && e.target === `user-task/${task.A3}`)!;
    assert.equal(done.actor?.id, 'cadre3');
    assert.deepEqual(JSON.parse(done.after!), { state: 'COMPLETED', variables: ['outcome'] });
    assert.ok(entries.some((e) => e.action === 'deployment.create' && e.actor?.id === 'admin'));
    assert.ok(entries.some((e) => e.action === 'instance.cancel' && e.actor?.id === 'leader3'));
    assert.ok(!entries.some((e) => e.outcome === 'success' && e.action.startsWith('task.') && e.actor?.id === 'cadre5' && e.target === `user-task/${task.A3}`));
    assert.equal((await app.auth.trail.verify()).ok, true);
  });
});
