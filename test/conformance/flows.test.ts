// Conformance: gateways, sub-processes, scripts and variable scopes, one small diagram each.
import assert from 'node:assert/strict';
import { bpmn, flow, serviceTask, userTask } from '../helpers/bpmn.ts';
import { testRuntime, deployXml } from '../helpers/runtime.ts';
import type { EmbeddedRuntime } from '../../engine/embedded/embedded-runtime.ts';

describe('conformance: flows and variables', () => {
  let rt: EmbeddedRuntime;
  before(async () => { ({ runtime: rt } = await testRuntime('conformance_flows')); });
  after(() => rt.stop());

  const completed = async (pik: string) => (await rt.history(pik)).filter((h) => h.event === 'ELEMENT_COMPLETED').map((h) => h.elementId);
  const vars = async (pik: string) => Object.fromEntries((await rt.searchVariables({ filter: { processInstanceKey: pik, scopeKey: pik } })).items.map((v) => [v.name, JSON.parse(v.value)]));
  const openTasks = async (pik: string) => (await rt.searchUserTasks({ filter: { processInstanceKey: pik, state: 'CREATED' } })).items;
  const work = async (type: string, variables: Record<string, unknown> = {}) => {
    const [job] = await rt.activateJobs({ type, timeout: 10_000, maxJobsToActivate: 1, requestTimeout: -1 });
    assert.ok(job, `a ${type} job is activatable`);
    await rt.completeJob(job.jobKey, variables);
    return job;
  };

  it('exclusive gateway takes the first true condition, else the default flow', async () => {
    await deployXml(rt, 'xor.bpmn', bpmn('xor', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'gw')}
      <bpmn:exclusiveGateway id="gw" default="fd"/>
      ${flow('fa', 'gw', 'a', '=amount >= 1000')}${flow('fb', 'gw', 'b', '=amount >= 100')}${flow('fd', 'gw', 'c')}
      <bpmn:endEvent id="a"/><bpmn:endEvent id="b"/><bpmn:endEvent id="c"/>`));
    for (const [amount, end] of [[5000, 'a'], [500, 'b'], [5, 'c']] as const) {
      const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'xor', variables: { amount } });
      assert.deepEqual(await completed(processInstanceKey), ['s', 'gw', end, 'xor']);
    }
  });

  it('a gateway whose condition is not boolean raises an incident instead of guessing', async () => {
    await deployXml(rt, 'xorbad.bpmn', bpmn('xorbad', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'gw')}
      <bpmn:exclusiveGateway id="gw"/>
      ${flow('fa', 'gw', 'a', '=missing > 3')}${flow('fb', 'gw', 'b', '=missing <= 3')}
      <bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'xorbad' });
    const pi = await rt.getProcessInstance(processInstanceKey);
    assert.equal(pi.state, 'ACTIVE');
    assert.equal(pi.hasIncident, true);
    const inc = await rt.searchIncidents({ filter: { processInstanceKey } });
    assert.equal(inc.items.length, 1);
  });

  it('parallel gateway forks and joins', async () => {
    await deployXml(rt, 'and.bpmn', bpmn('and', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'fork')}
      <bpmn:parallelGateway id="fork"/>${flow('f1', 'fork', 't1')}${flow('f2', 'fork', 't2')}
      ${userTask('t1')}${userTask('t2')}${flow('f3', 't1', 'join')}${flow('f4', 't2', 'join')}
      <bpmn:parallelGateway id="join"/>${flow('f5', 'join', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'and' });
    const tasks = await openTasks(processInstanceKey);
    assert.deepEqual(tasks.map((t) => t.elementId).sort(), ['t1', 't2']);
    await Promise.all(tasks.map((t, i) => rt.completeUserTask(t.userTaskKey, { [`r${i}`]: i })));
    assert.equal((await rt.getProcessInstance(processInstanceKey)).state, 'COMPLETED');
    const v = await vars(processInstanceKey);
    assert.equal(v.r0, 0);
    assert.equal(v.r1, 1);
    assert.equal((await completed(processInstanceKey)).filter((e) => e === 'join').length, 1);
  });

  it('inclusive gateway activates every true branch and joins them', async () => {
    await deployXml(rt, 'or.bpmn', bpmn('or', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'fork')}
      <bpmn:inclusiveGateway id="fork" default="fd"/>
      ${flow('f1', 'fork', 't1', '=x > 1')}${flow('f2', 'fork', 't2', '=x > 2')}${flow('fd', 'fork', 't3')}
      ${userTask('t1')}${userTask('t2')}${userTask('t3')}
      ${flow('f3', 't1', 'join')}${flow('f4', 't2', 'join')}${flow('f5', 't3', 'join')}
      <bpmn:inclusiveGateway id="join"/>${flow('f6', 'join', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'or', variables: { x: 5 } });
    const tasks = await openTasks(processInstanceKey);
    assert.deepEqual(tasks.map((t) => t.elementId).sort(), ['t1', 't2']);
    for (const t of tasks) await rt.completeUserTask(t.userTaskKey);
    assert.equal((await rt.getProcessInstance(processInstanceKey)).state, 'COMPLETED');
    const p2 = await rt.createProcessInstance({ processDefinitionId: 'or', variables: { x: 0 } });
    assert.deepEqual((await openTasks(p2.processInstanceKey)).map((t) => t.elementId), ['t3']);
  });

  it('input mappings make local variables; output mappings write the flow scope; results propagate', async () => {
    await deployXml(rt, 'io.bpmn', bpmn('io', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'calc')}
      ${serviceTask('calc', 'io-calc', `<zeebe:ioMapping><zeebe:input source="=order.total" target="amount"/><zeebe:input source="=amount * 2" target="doubled"/><zeebe:output source="=result + 1" target="order.result"/></zeebe:ioMapping>`)}
      ${flow('f1', 'calc', 'plain')}${serviceTask('plain', 'io-plain')}${flow('f2', 'plain', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'io', variables: { order: { total: 21, id: 'A' } } });
    const job = await work('io-calc', { result: 41, stray: true });
    assert.equal(job.variables.amount, 21);
    assert.equal(job.variables.doubled, 42);
    await work('io-plain', { plainResult: 'x' });
    const v = await vars(processInstanceKey);
    assert.deepEqual(v.order, { total: 21, id: 'A', result: 42 });
    assert.equal(v.plainResult, 'x');
    assert.equal(v.amount, undefined, 'inputs stay local');
    assert.equal(v.stray, undefined, 'with output mappings, job variables stay local');
  });

  it('embedded sub-process has its own scope; script tasks evaluate FEEL', async () => {
    await deployXml(rt, 'sub.bpmn', bpmn('sub', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'sp')}
      <bpmn:subProcess id="sp">
        <bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=10" target="local"/></zeebe:ioMapping></bpmn:extensionElements>
        <bpmn:startEvent id="ss"/>${flow('g0', 'ss', 'script')}
        <bpmn:scriptTask id="script"><bpmn:extensionElements><zeebe:script expression="=local + base" resultVariable="sum"/></bpmn:extensionElements></bpmn:scriptTask>
        ${flow('g1', 'script', 'se')}<bpmn:endEvent id="se"/>
      </bpmn:subProcess>${flow('f1', 'sp', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'sub', variables: { base: 5 } });
    assert.deepEqual(await completed(processInstanceKey), ['s', 'ss', 'script', 'se', 'sp', 'e', 'sub']);
    const v = await vars(processInstanceKey);
    assert.equal(v.sum, 15);
    assert.equal(v.local, undefined);
  });

  it('terminate end event ends the instance and its other branches', async () => {
    await deployXml(rt, 'term.bpmn', bpmn('term', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'fork')}
      <bpmn:parallelGateway id="fork"/>${flow('f1', 'fork', 'wait')}${flow('f2', 'fork', 'end')}
      ${userTask('wait')}${flow('f3', 'wait', 'e2')}<bpmn:endEvent id="e2"/>
      <bpmn:endEvent id="end"><bpmn:terminateEventDefinition/></bpmn:endEvent>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'term' });
    assert.equal((await rt.getProcessInstance(processInstanceKey)).state, 'COMPLETED');
    const t = await rt.searchUserTasks({ filter: { processInstanceKey } });
    assert.ok(t.items.every((x) => x.state === 'CANCELED'));
  });

  it('user task assignment, candidates and schedule from FEEL', async () => {
    await deployXml(rt, 'assign.bpmn', bpmn('assign', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'ut')}
      ${userTask('ut', `<zeebe:assignmentDefinition assignee="=owner" candidateGroups="grid-3, grid-leaders" candidateUsers="=[&quot;li&quot;, &quot;wang&quot;]"/><zeebe:taskSchedule dueDate="=due" followUpDate="2026-12-01T09:00:00+08:00"/><zeebe:taskHeaders><zeebe:header key="programme" value="service-loop"/></zeebe:taskHeaders>`, '走访企业')}
      ${flow('f1', 'ut', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'assign', variables: { owner: 'zhang', due: '2026-12-03T17:00:00+08:00' } });
    const [t] = await openTasks(processInstanceKey);
    assert.equal(t.name, '走访企业');
    assert.equal(t.assignee, 'zhang');
    assert.deepEqual(t.candidateGroups, ['grid-3', 'grid-leaders']);
    assert.deepEqual(t.candidateUsers, ['li', 'wang']);
    assert.equal(t.dueDate, '2026-12-03T17:00:00+08:00');
    assert.equal(t.followUpDate, '2026-12-01T09:00:00+08:00');
    assert.deepEqual(t.customHeaders, { programme: 'service-loop' });
    const byGroup = await rt.searchUserTasks({ filter: { candidateGroup: 'grid-3', state: 'CREATED' } });
    assert.ok(byGroup.items.some((x) => x.userTaskKey === t.userTaskKey));
  });

  it('cancel terminates every active element and closes its tasks', async () => {
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'and' });
    await rt.cancelProcessInstance(processInstanceKey);
    assert.equal((await rt.getProcessInstance(processInstanceKey)).state, 'TERMINATED');
    const t = await rt.searchUserTasks({ filter: { processInstanceKey } });
    assert.ok(t.items.length === 2 && t.items.every((x) => x.state === 'CANCELED'));
    await assert.rejects(rt.cancelProcessInstance(processInstanceKey), (e: any) => e.status === 404);
  });
});
