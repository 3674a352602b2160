// A small visit-and-assess programme for the web app's tests, with diagram interchange (laid out
// by bpmn-auto-layout) so the instance view can draw it: a start form records a visit, grid 3
// assesses the demand, and the case goes to the zone (escalate) or back to the grid for a
// follow-up visit. Hostile text can be put into labels to check that pages render it as text.
import { layoutProcess } from 'bpmn-auto-layout';
import { bpmn, flow, userTask } from './bpmn.ts';

export const VALID_USCC = '91330110MA27XGQW79';

export function visitForm(labelPrefix = '') {
  return {
    id: 'web-test-visit', type: 'default', schemaVersion: 16,
    components: [
      { type: 'textfield', id: 'enterpriseName', key: 'enterpriseName', label: `${labelPrefix}企业名称`, validate: { required: true, maxLength: 100 } },
      { type: 'textfield', id: 'enterprise', key: 'enterprise', label: '统一社会信用代码', validate: { required: true, validationType: 'uscc' } },
      { type: 'select', id: 'channel', key: 'channel', label: '走访方式', validate: { required: true }, values: [
        { label: '现场走访', value: 'onsite' }, { label: '电话', value: 'phone' }, { label: '座谈会', value: 'meeting' }, { label: '网格企业服务群', value: 'online' }] },
      { type: 'select', id: 'category', key: 'category', label: '诉求类别', validate: { required: true }, values: [
        { label: '政策咨询', value: '政策咨询' }, { label: '用地规划', value: '用地规划' }, { label: '安全生产', value: '安全生产' }] },
      { type: 'textfield', id: 'title', key: 'title', label: '诉求标题', validate: { required: true, maxLength: 200 } },
      { type: 'textarea', id: 'description', key: 'description', label: '诉求内容', validate: { required: true, maxLength: 2000 } },
    ],
  };
}

export function assessForm() {
  return {
    id: 'web-test-assess', type: 'default', schemaVersion: 16,
    components: [
      { type: 'text', id: 'intro', text: '请核实企业诉求并给出研判意见。' },
      { type: 'textfield', id: 'titleShown', key: 'title', label: '诉求标题', readonly: true },
      { type: 'textarea', id: 'opinion', key: 'opinion', label: '研判意见', validate: { required: true, minLength: 4 } },
      { type: 'radio', id: 'decision', key: 'decision', label: '处理方式', validate: { required: true }, values: [
        { label: '网格内解决', value: 'resolve' }, { label: '上报经开区（二级）', value: 'escalate' }] },
      { type: 'textfield', id: 'contactMobile', key: 'contactMobile', label: '联系人手机', validate: { validationType: 'cnMobile' } },
    ],
  };
}

export async function visitDiagram(name = '企业走访与诉求办理'): Promise<string> {
  const xml = bpmn('web-visit', `
    <bpmn:startEvent id="start" name="记录走访"><bpmn:extensionElements><zeebe:formDefinition formId="web-test-visit"/></bpmn:extensionElements></bpmn:startEvent>
    ${userTask('assess', '<zeebe:formDefinition formId="web-test-assess"/><zeebe:assignmentDefinition candidateGroups="grid-3"/><zeebe:taskSchedule dueDate="=now() + duration(&quot;P5D&quot;)"/>', '网格研判')}
    <bpmn:exclusiveGateway id="decide" name="处理方式？"/>
    ${userTask('zone', '<zeebe:assignmentDefinition candidateGroups="zone-center"/>', '经开区协调办理')}
    ${userTask('followUp', '<zeebe:assignmentDefinition candidateGroups="grid-3"/>', '回访总结')}
    <bpmn:endEvent id="end" name="办结"/>
    ${flow('f1', 'start', 'assess')}
    ${flow('f2', 'assess', 'decide')}
    ${flow('f3', 'decide', 'zone', '=decision = "escalate"')}
    ${flow('f4', 'decide', 'followUp', '=decision = "resolve"')}
    ${flow('f5', 'zone', 'end')}
    ${flow('f6', 'followUp', 'end')}
  `).replace('<bpmn:process id="web-visit" isExecutable="true">', `<bpmn:process id="web-visit" name="${name}" isExecutable="true">`);
  return layoutProcess(withFlowRefs(xml));
}

/** bpmn-auto-layout follows each node's incoming/outgoing references: write them from the flows. */
export function withFlowRefs(xml: string): string {
  const add = (doc: string, id: string, tag: string) => {
    const open = new RegExp(`<bpmn:(\\w+) id="${id}"([^>]*?)(/?)>`).exec(doc);
    if (!open) return doc;
    const [whole, type, attrs, selfClosing] = open;
    if (selfClosing) return doc.replace(whole, `<bpmn:${type} id="${id}"${attrs}>${tag}</bpmn:${type}>`);
    const close = doc.indexOf(`</bpmn:${type}>`, open.index);
    return doc.slice(0, close) + tag + doc.slice(close);
  };
  for (const m of [...xml.matchAll(/<bpmn:sequenceFlow id="([^"]+)" sourceRef="([^"]+)" targetRef="([^"]+)"/g)]) {
    const [, id, from, to] = m;
    xml = add(xml, from!, `<bpmn:outgoing>${id}</bpmn:outgoing>`);
    xml = add(xml, to!, `<bpmn:incoming>${id}</bpmn:incoming>`);
  }
  return xml;
}
