// A small writer of Zeebe-dialect BPMN (semantics only; processes/diagrams/layout.ts adds the DI),
// used by build-programme-diagrams.ts to write the first version of the shipped programmes.
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export type Mapping = [source: string, target: string];

export interface Io { inputs?: Mapping[]; outputs?: Mapping[] }
export interface Mi { collection: string; element: string; outputCollection?: string; outputElement?: string; sequential?: boolean }

const io = ({ inputs = [], outputs = [] }: Io) =>
  inputs.length + outputs.length === 0
    ? ''
    : `<zeebe:ioMapping>${inputs.map(([s, t]) => `<zeebe:input source="${esc(s)}" target="${t}"/>`).join('')}${outputs.map(([s, t]) => `<zeebe:output source="${esc(s)}" target="${t}"/>`).join('')}</zeebe:ioMapping>`;

const mi = (m?: Mi) =>
  m
    ? `<bpmn:multiInstanceLoopCharacteristics${m.sequential ? ' isSequential="true"' : ''}><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="${esc(m.collection)}" inputElement="${m.element}"${m.outputCollection ? ` outputCollection="${m.outputCollection}" outputElement="${esc(m.outputElement!)}"` : ''}/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>`
    : '';

const ext = (inner: string) => (inner ? `<bpmn:extensionElements>${inner}</bpmn:extensionElements>` : '');

export const start = (id: string, name: string, o: { form?: string; cron?: string } = {}) =>
  `<bpmn:startEvent id="${id}" name="${esc(name)}">${ext(o.form ? `<zeebe:formDefinition formId="${o.form}"/>` : '')}${o.cron ? `<bpmn:timerEventDefinition id="${id}_timer"><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">${esc(o.cron)}</bpmn:timeCycle></bpmn:timerEventDefinition>` : ''}</bpmn:startEvent>`;

export const end = (id: string, name: string) => `<bpmn:endEvent id="${id}" name="${esc(name)}"/>`;

/** Ends its (sub-)process at once, cancelling what else runs in it. */
export const terminate = (id: string, name: string) => `<bpmn:endEvent id="${id}" name="${esc(name)}"><bpmn:terminateEventDefinition id="${id}_terminate"/></bpmn:endEvent>`;

export const user = (id: string, name: string, o: Io & { form: string; groups?: string; assignee?: string; users?: string; mi?: Mi }) =>
  `<bpmn:userTask id="${id}" name="${esc(name)}">${ext(`<zeebe:userTask/><zeebe:formDefinition formId="${o.form}"/><zeebe:assignmentDefinition${o.assignee ? ` assignee="${esc(o.assignee)}"` : ''}${o.groups ? ` candidateGroups="${esc(o.groups)}"` : ''}${o.users ? ` candidateUsers="${esc(o.users)}"` : ''}/>${io(o)}`)}${mi(o.mi)}</bpmn:userTask>`;

export const service = (id: string, name: string, type: string, o: Io & { headers?: Record<string, string>; mi?: Mi } = {}) =>
  `<bpmn:serviceTask id="${id}" name="${esc(name)}">${ext(`<zeebe:taskDefinition type="${type}" retries="3"/>${o.headers ? `<zeebe:taskHeaders>${Object.entries(o.headers).map(([k, v]) => `<zeebe:header key="${k}" value="${esc(v)}"/>`).join('')}</zeebe:taskHeaders>` : ''}${io(o)}`)}${mi(o.mi)}</bpmn:serviceTask>`;

export const script = (id: string, name: string, expression: string, result: string) =>
  `<bpmn:scriptTask id="${id}" name="${esc(name)}">${ext(`<zeebe:script expression="${esc(expression)}" resultVariable="${result}"/>`)}</bpmn:scriptTask>`;

export const gateway = (id: string, name: string, o: { parallel?: boolean; default?: string } = {}) =>
  o.parallel ? `<bpmn:parallelGateway id="${id}" name="${esc(name)}"/>` : `<bpmn:exclusiveGateway id="${id}" name="${esc(name)}"${o.default ? ` default="${o.default}"` : ''}/>`;

export const flowId = (from: string, to: string) => `Flow_${from}_${to}`;

export const flow = (from: string, to: string, o: { condition?: string; name?: string } = {}) =>
  `<bpmn:sequenceFlow id="${flowId(from, to)}"${o.name ? ` name="${esc(o.name)}"` : ''} sourceRef="${from}" targetRef="${to}">${o.condition ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${esc(o.condition)}</bpmn:conditionExpression>` : ''}</bpmn:sequenceFlow>`;

export type Timer = { date: string } | { duration: string } | { cycle: string };
const timer = (id: string, t: Timer) => {
  const [tag, value] = 'date' in t ? ['timeDate', t.date] : 'duration' in t ? ['timeDuration', t.duration] : ['timeCycle', t.cycle];
  return `<bpmn:timerEventDefinition id="${id}_timer"><bpmn:${tag} xsi:type="bpmn:tFormalExpression">${esc(value)}</bpmn:${tag}></bpmn:timerEventDefinition>`;
};

export const boundaryTimer = (id: string, name: string, host: string, t: Timer, interrupting: boolean) =>
  `<bpmn:boundaryEvent id="${id}" name="${esc(name)}"${interrupting ? '' : ' cancelActivity="false"'} attachedToRef="${host}">${timer(id, t)}</bpmn:boundaryEvent>`;

export const catchTimer = (id: string, name: string, t: Timer) => `<bpmn:intermediateCatchEvent id="${id}" name="${esc(name)}">${timer(id, t)}</bpmn:intermediateCatchEvent>`;

export const sub = (id: string, name: string, body: string[], o: Io & { mi?: Mi } = {}) =>
  `<bpmn:subProcess id="${id}" name="${esc(name)}">${ext(io(o))}${mi(o.mi)}${body.join('\n')}</bpmn:subProcess>`;

export const call = (id: string, name: string, processId: string, o: Io & { mi?: Mi; propagateAll?: boolean }) =>
  `<bpmn:callActivity id="${id}" name="${esc(name)}">${ext(`<zeebe:calledElement processId="${processId}" propagateAllChildVariables="${o.propagateAll ?? false}"/>${io(o)}`)}${mi(o.mi)}</bpmn:callActivity>`;

export function definitions(processId: string, name: string, body: string[], documentation: string) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_${processId}" targetNamespace="http://gridflow.local/programmes" exporter="Gridflow" exporterVersion="1.0" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
<bpmn:process id="${processId}" name="${esc(name)}" isExecutable="true">
<bpmn:documentation>${esc(documentation)}</bpmn:documentation>
${body.join('\n')}
</bpmn:process>
</bpmn:definitions>
`;
}
