// Conformance: call activities, multi-instance, start events and deployments.
import assert from 'node:assert/strict';
import { bpmn, flow, serviceTask, userTask } from '../helpers/bpmn.ts';
import { testRuntime, deployXml, type TestClock } from '../helpers/runtime.ts';
import type { EmbeddedRuntime } from '../../engine/embedded/embedded-runtime.ts';

describe('conformance: call activities, multi-instance, start events, deployments', () => {
  let rt: EmbeddedRuntime;
  let clock: TestClock;
  before(async () => { ({ runtime: rt, clock } = await testRuntime('conformance_structure')); });
  after(() => rt.stop());

  const state = async (pik: string) => (await rt.getProcessInstance(pik)).state;
  const vars = async (pik: string) => Object.fromEntries((await rt.searchVariables({ filter: { processInstanceKey: pik, scopeKey: pik } })).items.map((v) => [v.name, JSON.parse(v.value)]));
  const openTasks = async (filter: Record<string, unknown>) => (await rt.searchUserTasks({ filter: { ...filter, state: 'CREATED' } as any })).items;

  it('call activity starts the called process, waits for it and takes its variables back', async () => {
    await deployXml(rt, 'child.bpmn', bpmn('child', `<bpmn:startEvent id="s"/>${flow('f0', 's', 'handle')}${userTask('handle')}${flow('f1', 'handle', 'e')}<bpmn:endEvent id="e"/>`));
    await deployXml(rt, 'parent.bpmn', bpmn('parent', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'call')}
      <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="child" propagateAllChildVariables="true"/></bpmn:extensionElements></bpmn:callActivity>
      ${flow('f1', 'call', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'parent', variables: { caseNo: 'C-1' } });
    await rt.idle();
    const children = await rt.searchProcessInstances({ filter: { parentProcessInstanceKey: processInstanceKey } });
    assert.equal(children.items.length, 1);
    const child = children.items[0];
    assert.equal(child.processDefinitionId, 'child');
    assert.equal((await vars(child.processInstanceKey)).caseNo, 'C-1');
    const [task] = await openTasks({ processInstanceKey: child.processInstanceKey });
    await rt.completeUserTask(task.userTaskKey, { outcome: 'solved' });
    await rt.idle();
    assert.equal(await state(child.processInstanceKey), 'COMPLETED');
    assert.equal(await state(processInstanceKey), 'COMPLETED');
    assert.equal((await vars(processInstanceKey)).outcome, 'solved');
  });

  it('call activity without propagation passes only its input mappings and takes only its outputs', async () => {
    await deployXml(rt, 'parent2.bpmn', bpmn('parent2', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'call')}
      <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="child" propagateAllChildVariables="false" propagateAllParentVariables="false"/>
        <zeebe:ioMapping><zeebe:input source="=caseNo" target="ref"/><zeebe:output source="=outcome" target="childOutcome"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:callActivity>
      ${flow('f1', 'call', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'parent2', variables: { caseNo: 'C-2', secret: 1 } });
    await rt.idle();
    const [child] = (await rt.searchProcessInstances({ filter: { parentProcessInstanceKey: processInstanceKey } })).items;
    const cv = await vars(child.processInstanceKey);
    assert.deepEqual(cv, { ref: 'C-2' });
    const [task] = await openTasks({ processInstanceKey: child.processInstanceKey });
    await rt.completeUserTask(task.userTaskKey, { outcome: 'ok', noise: true });
    await rt.idle();
    const pv = await vars(processInstanceKey);
    assert.equal(pv.childOutcome, 'ok');
    assert.equal(pv.noise, undefined);
    assert.equal(pv.outcome, undefined);
  });

  it('cancelling the parent cancels the called instance', async () => {
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'parent' });
    await rt.idle();
    const [child] = (await rt.searchProcessInstances({ filter: { parentProcessInstanceKey: processInstanceKey } })).items;
    await rt.cancelProcessInstance(processInstanceKey);
    await rt.idle();
    assert.equal(await state(child.processInstanceKey), 'TERMINATED');
  });

  it('parallel multi-instance: one instance per element, output collection in order', async () => {
    await deployXml(rt, 'mi.bpmn', bpmn('mi', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'review')}
      <bpmn:userTask id="review"><bpmn:extensionElements><zeebe:userTask/><zeebe:assignmentDefinition assignee="=reviewer"/></bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=reviewers" inputElement="reviewer" outputCollection="opinions" outputElement="=opinion"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
      </bpmn:userTask>${flow('f1', 'review', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'mi', variables: { reviewers: ['li', 'wang', 'zhao'] } });
    const tasks = await openTasks({ processInstanceKey });
    assert.deepEqual(tasks.map((t) => t.assignee).sort(), ['li', 'wang', 'zhao']);
    for (const t of [...tasks].reverse()) await rt.completeUserTask(t.userTaskKey, { opinion: `ok-${t.assignee}` });
    assert.equal(await state(processInstanceKey), 'COMPLETED');
    assert.deepEqual((await vars(processInstanceKey)).opinions, ['ok-li', 'ok-wang', 'ok-zhao']);
  });

  it('parallel multi-instance with a completion condition: the first approval ends it, the other tasks are cancelled and leave no output', async () => {
    await deployXml(rt, 'mic.bpmn', bpmn('mic', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'sign')}
      <bpmn:userTask id="sign"><bpmn:extensionElements><zeebe:userTask/><zeebe:assignmentDefinition assignee="=signer"/></bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=signers" inputElement="signer" outputCollection="decisions" outputElement="={signer: signer, approved: decision = &quot;approve&quot;}"/></bpmn:extensionElements>
          <bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=count(decisions[item != null and item.approved = true]) &gt;= 1</bpmn:completionCondition>
        </bpmn:multiInstanceLoopCharacteristics>
      </bpmn:userTask>${flow('f1', 'sign', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'mic', variables: { signers: ['li', 'wang', 'zhao'] } });
    const tasks = await openTasks({ processInstanceKey });
    await rt.completeUserTask(tasks.find((t) => t.assignee === 'wang')!.userTaskKey, { decision: 'approve' });
    await rt.idle();
    assert.equal(await state(processInstanceKey), 'COMPLETED');
    assert.deepEqual((await vars(processInstanceKey)).decisions, [null, { signer: 'wang', approved: true }, null]);
    const all = (await rt.searchUserTasks({ filter: { processInstanceKey } as any })).items;
    assert.deepEqual(all.map((t) => `${t.assignee}:${t.state}`).sort(), ['li:CANCELED', 'wang:COMPLETED', 'zhao:CANCELED']);
  });

  it('sequential multi-instance runs one element after the other', async () => {
    await deployXml(rt, 'mis.bpmn', bpmn('mis', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'step')}
      <bpmn:serviceTask id="step"><bpmn:extensionElements><zeebe:taskDefinition type="seq-step"/></bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2,3]" inputElement="n" outputCollection="squares" outputElement="=sq"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
      </bpmn:serviceTask>${flow('f1', 'step', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'mis' });
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const jobs = await rt.activateJobs({ type: 'seq-step', timeout: 10_000, maxJobsToActivate: 5, requestTimeout: -1 });
      assert.equal(jobs.length, 1, 'one at a time');
      const n = jobs[0].variables.n as number;
      seen.push(n);
      assert.equal(jobs[0].variables.loopCounter, i + 1);
      await rt.completeJob(jobs[0].jobKey, { sq: n * n });
    }
    assert.deepEqual(seen, [1, 2, 3]);
    assert.equal(await state(processInstanceKey), 'COMPLETED');
    assert.deepEqual((await vars(processInstanceKey)).squares, [1, 4, 9]);
  });

  it('multi-instance call activity: one child per element', async () => {
    await deployXml(rt, 'micall.bpmn', bpmn('micall', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'each')}
      <bpmn:callActivity id="each"><bpmn:extensionElements><zeebe:calledElement processId="child" propagateAllChildVariables="false"/></bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=demands" inputElement="demand"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
      </bpmn:callActivity>${flow('f1', 'each', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'micall', variables: { demands: ['land', 'tax'] } });
    await rt.idle();
    const children = (await rt.searchProcessInstances({ filter: { parentProcessInstanceKey: processInstanceKey } })).items;
    assert.equal(children.length, 2);
    assert.deepEqual((await Promise.all(children.map(async (c) => (await vars(c.processInstanceKey)).demand))).sort(), ['land', 'tax']);
    for (const c of children) {
      const [t] = await openTasks({ processInstanceKey: c.processInstanceKey });
      await rt.completeUserTask(t.userTaskKey);
    }
    await rt.idle();
    assert.equal(await state(processInstanceKey), 'COMPLETED');
  });

  it('timer start event starts instances on its cycle', async () => {
    await deployXml(rt, 'monthly.bpmn', bpmn('monthly', `
      <bpmn:startEvent id="tick"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT24H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      ${flow('f0', 'tick', 'report')}${userTask('report')}${flow('f1', 'report', 'e')}<bpmn:endEvent id="e"/>`));
    const count = async () => (await rt.searchProcessInstances({ filter: { processDefinitionId: 'monthly' } })).page.totalItems;
    assert.equal(await count(), 0);
    for (let day = 1; day <= 4; day++) { clock.advance(24 * 3600_000 + 1000); await rt.timers.tick(); await rt.idle(); }
    assert.equal(await count(), 3);
    await assert.rejects(rt.createProcessInstance({ processDefinitionId: 'monthly' }), (e: any) => e.status === 400);
  });

  it('message start event starts an instance with the message variables', async () => {
    await deployXml(rt, 'onvisit.bpmn', bpmn('onvisit', `
      <bpmn:startEvent id="visited"><bpmn:messageEventDefinition messageRef="m_visit"/></bpmn:startEvent>
      ${flow('f0', 'visited', 'file')}${userTask('file')}${flow('f1', 'file', 'e')}<bpmn:endEvent id="e"/>`,
      `<bpmn:message id="m_visit" name="visit-recorded"/>`));
    await rt.publishMessage({ name: 'visit-recorded', variables: { enterprise: '91330110MA2H3XXXXX' } });
    await rt.idle();
    const [pi] = (await rt.searchProcessInstances({ filter: { processDefinitionId: 'onvisit' } })).items;
    assert.ok(pi);
    assert.equal((await vars(pi.processInstanceKey)).enterprise, '91330110MA2H3XXXXX');
    assert.equal((await openTasks({ processInstanceKey: pi.processInstanceKey })).length, 1);
  });

  it('deployments: identical content keeps its version, a change makes a new one, running instances stay', async () => {
    const v1 = bpmn('ver', `<bpmn:startEvent id="s"/>${flow('f0', 's', 'a')}${userTask('a')}${flow('f1', 'a', 'e')}<bpmn:endEvent id="e"/>`);
    const d1 = await deployXml(rt, 'ver.bpmn', v1);
    const d1b = await deployXml(rt, 'ver.bpmn', v1);
    const p1 = (d1.deployments[0] as any).processDefinition;
    assert.deepEqual((d1b.deployments[0] as any).processDefinition, p1);
    const running = await rt.createProcessInstance({ processDefinitionId: 'ver' });
    const d2 = await deployXml(rt, 'ver.bpmn', v1.replace(userTask('a'), userTask('b')).replace("targetRef=\"a\"", "targetRef=\"b\"").replace("sourceRef=\"a\"", "sourceRef=\"b\""));
    const p2 = (d2.deployments[0] as any).processDefinition;
    assert.equal(p2.processDefinitionVersion, p1.processDefinitionVersion + 1);
    assert.notEqual(p2.processDefinitionKey, p1.processDefinitionKey);
    assert.equal((await openTasks({ processInstanceKey: running.processInstanceKey }))[0].elementId, 'a');
    const fresh = await rt.createProcessInstance({ processDefinitionId: 'ver' });
    assert.equal(fresh.processDefinitionVersion, 2);
    assert.equal((await openTasks({ processInstanceKey: fresh.processInstanceKey }))[0].elementId, 'b');
    const old = await rt.createProcessInstance({ processDefinitionId: 'ver', processDefinitionVersion: 1 });
    assert.equal((await openTasks({ processInstanceKey: old.processInstanceKey }))[0].elementId, 'a');
  });

  it('deployments: every problem is reported with its element, and JavaScript is refused', async () => {
    const bad = bpmn('bad', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'js')}
      <bpmn:scriptTask id="js" scriptFormat="javascript"><bpmn:script>process.exit(1)</bpmn:script></bpmn:scriptTask>${flow('f1', 'js', 'svc')}
      <bpmn:serviceTask id="svc"/>${flow('f2', 'svc', 'gw')}
      <bpmn:exclusiveGateway id="gw"/>${flow('f3', 'gw', 'e', '=x &gt;')}${flow('f4', 'gw', 'e')}<bpmn:endEvent id="e"/>`);
    await assert.rejects(deployXml(rt, 'bad.bpmn', bad), (e: any) => {
      assert.equal(e.status, 400);
      const ids = new Set(e.details.problems.map((p: any) => p.elementId));
      for (const id of ['js', 'svc', 'f3']) assert.ok(ids.has(id), `problem names ${id}: ${e.message}`);
      assert.match(e.message, /FEEL|script/i);
      return true;
    });
    await assert.rejects(deployXml(rt, 'broken.bpmn', '<bpmn:definitions'), (e: any) => e.status === 400);
    await assert.rejects(rt.deploy([{ name: 'x.txt', content: 'hello' }]), (e: any) => e.status === 400);
  });
});
