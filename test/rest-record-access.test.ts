// Record-level rules on the /v2 reads added for Camunda 8.8 compatibility: a user task's variables
// are read by whoever may see the task (its grid, or taking part in it), an incident by whoever
// may see its process instance; anyone else gets a 403 problem saying why.

import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from '../web/identity/bootstrap.ts';
import { bpmn, flow, serviceTask, userTask } from './helpers/bpmn.ts';
import { basic, deployment, startSecureApp, type Caller, type SecureApp } from './helpers/secure-app.ts';

const caseXml = bpmn('record_case', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'handle')}
  ${userTask('handle', '<zeebe:assignmentDefinition candidateGroups="=&quot;grid-&quot; + string(gridId)"/>')}${flow('f2', 'handle', 'end')}
  <bpmn:endEvent id="end"/>`);

const referralXml = bpmn('record_referral', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'review')}
  ${userTask('review', '<zeebe:assignmentDefinition candidateGroups="dept-market"/>')}${flow('f2', 'review', 'end')}
  <bpmn:endEvent id="end"/>`);

const chargeXml = bpmn('record_charge', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'charge')}
  ${serviceTask('charge', 'record-charge')}${flow('f2', 'charge', 'end')}
  <bpmn:endEvent id="end"/>`);

describe('access: who reads a user task\'s variables and an incident', function () {
  this.timeout(60_000);
  let app: SecureApp;
  let admin: Caller, officer: Caller, worker: Caller, cadre3: Caller, cadre5: Caller;
  let task3: string, task5: string, referral5: string, incident3: string, incident5: string;

  const call = (as: Caller, method: string, path: string, body?: unknown) => app.call(as, method, path, body);
  const ok = async (p: ReturnType<typeof call>, status = 200) => {
    const r = await p;
    assert.equal(r.status, status, r.text);
    return r.json;
  };
  const denied = async (p: ReturnType<typeof call>, detail: RegExp) => {
    const r = await p;
    assert.equal(r.status, 403, r.text);
    assert.match(r.type, /^application\/problem\+json/);
    assert.match(r.json.detail, detail);
  };
  const start = async (processDefinitionId: string, variables: Record<string, unknown>) =>
    (await ok(call(admin, 'POST', '/v2/process-instances', { processDefinitionId, variables }))).processInstanceKey as string;
  async function taskOf(processInstanceKey: string): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const { items } = await ok(call(admin, 'POST', '/v2/user-tasks/search', { filter: { processInstanceKey } }));
      if (items.length > 0) return items[0].userTaskKey;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no task for ${processInstanceKey}`);
  }
  async function incidentOf(gridId: number): Promise<string> {
    const processInstanceKey = await start('record_charge', { gridId });
    for (let i = 0; i < 100; i++) {
      const { jobs } = await ok(call(worker, 'POST', '/v2/jobs/activation', { type: 'record-charge', timeout: 30_000, maxJobsToActivate: 1, requestTimeout: -1 }));
      if (jobs.length > 0) {
        assert.equal(jobs[0].processInstanceKey, processInstanceKey);
        await ok(call(worker, 'POST', `/v2/jobs/${jobs[0].jobKey}/failure`, { retries: 0, errorMessage: 'bank offline' }), 204);
        const { items } = await ok(call(admin, 'POST', '/v2/incidents/search', { filter: { processInstanceKey } }));
        return items[0].incidentKey;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('no job');
  }

  before(async () => {
    app = await startSecureApp('rest_record_access');
    admin = basic('admin', DEMO_PASSWORD);
    officer = basic('officer', DEMO_PASSWORD);
    worker = basic('demo-worker', 'demo-worker-secret');
    cadre3 = await app.user('cadre3', ['cadre'], ['grid-3']);
    cadre5 = await app.user('cadre5', ['cadre'], ['grid-5']);
    await ok(call(admin, 'POST', '/v2/deployments', deployment(['case.bpmn', caseXml], ['referral.bpmn', referralXml], ['charge.bpmn', chargeXml])));
    task3 = await taskOf(await start('record_case', { gridId: 3, enterprise: 'A3 Ltd' }));
    task5 = await taskOf(await start('record_case', { gridId: 5, enterprise: 'A5 Ltd' }));
    referral5 = await taskOf(await start('record_referral', { gridId: 5, enterprise: 'R5 Ltd' }));
    incident3 = await incidentOf(3);
    incident5 = await incidentOf(5);
  });

  after(() => app.close());

  it('a user task\'s variables: its grid and whoever takes part in it; not another grid', async () => {
    const names = async (as: Caller, key: string) => (await ok(call(as, 'POST', `/v2/user-tasks/${key}/variables/search`, { sort: [{ field: 'name' }] }))).items.map((v: any) => v.name);
    assert.deepEqual(await names(cadre3, task3), ['enterprise', 'gridId']);
    assert.deepEqual(await names(officer, referral5), ['enterprise', 'gridId'], 'a candidate group member of another grid');
    assert.deepEqual(await names(admin, task5), ['enterprise', 'gridId']);
    await denied(call(cadre3, 'POST', `/v2/user-tasks/${task5}/variables/search`, {}), /may not see user task/);
    await denied(call(cadre5, 'POST', `/v2/user-tasks/${task3}/variables/search`, {}), /may not see user task/);
    await denied(call(worker, 'POST', `/v2/user-tasks/${task3}/variables/search`, {}), /lacks the permission 'tasks\.read'/);
  });

  it('an incident: whoever may see its process instance', async () => {
    const got = await ok(call(cadre3, 'GET', `/v2/incidents/${incident3}`));
    assert.deepEqual([got.incidentKey, got.errorType, got.errorMessage, got.state], [incident3, 'JOB_NO_RETRIES', 'bank offline', 'ACTIVE']);
    assert.equal((await ok(call(admin, 'GET', `/v2/incidents/${incident5}`))).incidentKey, incident5);
    await denied(call(cadre3, 'GET', `/v2/incidents/${incident5}`), /may not see process instance/);
    await denied(call(worker, 'GET', `/v2/incidents/${incident3}`), /lacks the permission 'instances\.read'/);
  });
});
