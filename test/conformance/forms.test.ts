// Conformance: .form resources, versions, and how user tasks link them (Camunda's binding types).
import assert from 'node:assert/strict';
import { bpmn, flow } from '../helpers/bpmn.ts';
import { testRuntime } from '../helpers/runtime.ts';
import type { EmbeddedRuntime } from '../../engine/embedded/embedded-runtime.ts';

const form = (id: string, label: string, extra: Record<string, unknown> = {}) => JSON.stringify({
  id, type: 'default', schemaVersion: 16, components: [{ type: 'textfield', key: 'title', label, validate: { required: true } }], ...extra,
});
const linked = (pid: string, formId: string, binding = 'latest', tag = '') => bpmn(pid, `
  <bpmn:startEvent id="s"/>${flow('f0', 's', 'fill')}
  <bpmn:userTask id="fill" name="填写"><bpmn:extensionElements><zeebe:userTask/><zeebe:formDefinition formId="${formId}" bindingType="${binding}"${tag ? ` versionTag="${tag}"` : ''}/></bpmn:extensionElements></bpmn:userTask>
  ${flow('f1', 'fill', 'e')}<bpmn:endEvent id="e"/>`);

describe('conformance: forms', () => {
  let rt: EmbeddedRuntime;
  before(async () => { ({ runtime: rt } = await testRuntime('conformance_forms')); });
  after(() => rt.stop());
  const taskOf = async (pik: string) => (await rt.searchUserTasks({ filter: { processInstanceKey: pik } })).items[0];

  it('deploys a form beside a diagram; the task gets the form; identical content keeps its version', async () => {
    const d = await rt.deploy([{ name: 'visit.form', content: form('visit', '标题') }, { name: 'v.bpmn', content: linked('v', 'visit') }]);
    const f = d.deployments.find((x: any) => x.form) as any;
    assert.equal(f.form.formId, 'visit');
    assert.equal(f.form.version, 1);
    const again = await rt.deploy([{ name: 'visit.form', content: form('visit', '标题') }]);
    assert.equal((again.deployments[0] as any).form.formKey, f.form.formKey);
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'v' });
    const t = await taskOf(processInstanceKey);
    assert.equal(t.formKey, f.form.formKey);
    const got = await rt.getUserTaskForm(t.userTaskKey);
    assert.equal(got?.formId, 'visit');
    assert.equal(JSON.parse(got!.schema).components[0].label, '标题');
  });

  it('latest binding follows new versions; deployment binding keeps the one deployed with the process', async () => {
    await rt.deploy([{ name: 'review.form', content: form('review', 'v1') }, { name: 'pin.bpmn', content: linked('pin', 'review', 'deployment') }, { name: 'late.bpmn', content: linked('late', 'review') }]);
    const v2 = await rt.deploy([{ name: 'review.form', content: form('review', 'v2') }]);
    assert.equal((v2.deployments[0] as any).form.version, 2);
    const pinned = await rt.getUserTaskForm((await taskOf((await rt.createProcessInstance({ processDefinitionId: 'pin' })).processInstanceKey)).userTaskKey);
    const latest = await rt.getUserTaskForm((await taskOf((await rt.createProcessInstance({ processDefinitionId: 'late' })).processInstanceKey)).userTaskKey);
    assert.equal(JSON.parse(pinned!.schema).components[0].label, 'v1');
    assert.equal(JSON.parse(latest!.schema).components[0].label, 'v2');
  });

  it('a running task keeps the form version it was created with', async () => {
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'late' });
    const before = await taskOf(processInstanceKey);
    await rt.deploy([{ name: 'review.form', content: form('review', 'v3') }]);
    const f = await rt.getUserTaskForm(before.userTaskKey);
    assert.equal(JSON.parse(f!.schema).components[0].label, 'v2');
  });

  it('versionTag binding picks the tagged version', async () => {
    await rt.deploy([{ name: 'tagged.form', content: form('tagged', 'stable', { versionTag: 'v-2026' }) }]);
    await rt.deploy([{ name: 'tagged.form', content: form('tagged', 'newer') }]);
    await rt.deploy([{ name: 'tag.bpmn', content: linked('tag', 'tagged', 'versionTag', 'v-2026') }]);
    const f = await rt.getUserTaskForm((await taskOf((await rt.createProcessInstance({ processDefinitionId: 'tag' })).processInstanceKey)).userTaskKey);
    assert.equal(JSON.parse(f!.schema).components[0].label, 'stable');
  });

  it('an embedded form (zeebe:userTaskForm) is returned from the diagram', async () => {
    const body = form('inline', '内嵌').replace(/"/g, '&quot;');
    await rt.deploy([{ name: 'emb.bpmn', content: bpmn('emb', `
      <bpmn:extensionElements><zeebe:userTaskForm id="UserTaskForm_1">${body}</zeebe:userTaskForm></bpmn:extensionElements>
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'fill')}
      <bpmn:userTask id="fill"><bpmn:extensionElements><zeebe:formDefinition formKey="camunda-forms:bpmn:UserTaskForm_1"/></bpmn:extensionElements></bpmn:userTask>
      ${flow('f1', 'fill', 'e')}<bpmn:endEvent id="e"/>`) }]);
    const t = await taskOf((await rt.createProcessInstance({ processDefinitionId: 'emb' })).processInstanceKey);
    const f = await rt.getUserTaskForm(t.userTaskKey);
    assert.equal(JSON.parse(f!.schema).components[0].label, '内嵌');
  });

  it('a task linking a form that cannot be resolved is a deployment error naming the task; bad .form is 400', async () => {
    await assert.rejects(rt.deploy([{ name: 'x.bpmn', content: linked('x', 'nowhere') }]), (e: any) => e.status === 400 && /fill/.test(e.message) && /nowhere/.test(e.message));
    await assert.rejects(rt.deploy([{ name: 'y.bpmn', content: linked('y', 'review', 'deployment') }]), (e: any) => e.status === 400 && /fill/.test(e.message));
    await assert.rejects(rt.deploy([{ name: 'bad.form', content: '{"components": [' }]), (e: any) => e.status === 400 && /bad\.form/.test(e.message));
    await assert.rejects(rt.deploy([{ name: 'noid.form', content: '{"components": []}' }]), (e: any) => e.status === 400 && /'id'/.test(e.message));
  });
});
