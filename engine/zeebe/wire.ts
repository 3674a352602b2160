// The gateway's answers (gRPC, as @camunda8/sdk decodes them) in the seam's shapes.
import type { ActivatedJob, Deployment, DeploymentItem, Topology } from '../runtime.ts';

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** A job as the SDK hands it to a worker or returns it from activateJobs. */
export function jobShape(j: any): ActivatedJob {
  return {
    type: j.type, processDefinitionId: j.bpmnProcessId, processDefinitionVersion: Number(j.processDefinitionVersion),
    elementId: j.elementId, customHeaders: stringValues(j.customHeaders), worker: j.worker, retries: Number(j.retries),
    deadline: Number(j.deadline), variables: { ...(j.variables ?? {}) }, tenantId: j.tenantId, jobKey: text(j.key),
    processInstanceKey: text(j.processInstanceKey), processDefinitionKey: text(j.processDefinitionKey),
    elementInstanceKey: text(j.elementInstanceKey), kind: 'BPMN_ELEMENT', listenerEventType: 'UNSPECIFIED',
  };
}

function stringValues(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((headers ?? {}) as Record<string, unknown>)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

export function deploymentShape(res: any): Deployment {
  const items: DeploymentItem[] = [];
  for (const d of res.deployments ?? []) {
    if (d.process) items.push({ processDefinition: { processDefinitionId: d.process.bpmnProcessId, processDefinitionVersion: Number(d.process.version), resourceName: d.process.resourceName, tenantId: d.process.tenantId, processDefinitionKey: text(d.process.processDefinitionKey) } });
    else if (d.form) items.push({ form: { formId: d.form.formId, version: Number(d.form.version), resourceName: d.form.resourceName, tenantId: d.form.tenantId, formKey: text(d.form.formKey) } });
  }
  return { deploymentKey: text(res.key), tenantId: res.tenantId, deployments: items };
}

export function topologyShape(t: any): Topology {
  return {
    brokers: (t.brokers ?? []).map((b: any) => ({
      nodeId: b.nodeId, host: b.host, port: b.port, version: b.version,
      partitions: (b.partitions ?? []).map((p: any) => ({ partitionId: p.partitionId, role: String(p.role).toLowerCase(), health: String(p.health).toLowerCase() })),
    })),
    clusterSize: t.clusterSize, partitionsCount: t.partitionsCount, replicationFactor: t.replicationFactor, gatewayVersion: t.gatewayVersion,
    lastCompletedChangeId: text(t.lastCompletedChangeId ?? '-1'),
  };
}
