// A Zeebe gateway for tests: a @grpc/grpc-js server built from the gateway protocol definition
// that @camunda8/sdk ships (zeebe.proto), so the requests ZeebeRuntime sends are decoded exactly
// as Camunda's gateway decodes them. Every request is recorded. Behind the protocol sits a
// Runtime (the embedded one), so deployments, instances, jobs and messages have real effects;
// `fail(method, code)` makes the next calls of a method answer with a gateway error code instead
// (UNAVAILABLE, RESOURCE_EXHAUSTED, NOT_FOUND, INVALID_ARGUMENT, ...).
//
// What this is not: Zeebe. The engine behind the protocol is Gridflow's own, so these tests prove
// the client side (what is sent, how answers and errors are read), not Zeebe's semantics.
import path from 'node:path';
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { RuntimeError, type Runtime } from '../../engine/runtime.ts';
import { EmbeddedRuntime } from '../../engine/embedded/embedded-runtime.ts';
import { createV2Router } from '../../engine/rest/index.ts';
import { testDatabase } from './database.ts';
import { TestClock } from './runtime.ts';

const require = createRequire(import.meta.url);
export const GATEWAY_PROTO = path.join(path.dirname(require.resolve('@camunda8/sdk')), 'proto', 'zeebe.proto');

export interface Recorded { method: string; request: any; at: number }
type Fault = { code: grpc.status; details: string };

const STATUS_OF: Record<number, grpc.status> = {
  400: grpc.status.INVALID_ARGUMENT, 404: grpc.status.NOT_FOUND, 409: grpc.status.FAILED_PRECONDITION,
  422: grpc.status.INVALID_ARGUMENT, 429: grpc.status.RESOURCE_EXHAUSTED, 503: grpc.status.UNAVAILABLE,
};

const parse = (text: string) => (text ? JSON.parse(text) : {});
const num = (long: string | number | undefined) => (long === undefined || long === '' ? 0 : Number(long));

export class TestGateway {
  readonly requests: Recorded[] = [];
  private faults = new Map<string, Fault[]>();
  private server = new grpc.Server();
  address = '';

  constructor(private readonly backend: Runtime) {}

  /** The next `times` calls of `method` answer with `code` (the gateway's status codes). */
  fail(method: string, code: grpc.status, times = 1, details = `${grpc.status[code]} (test gateway)`) {
    const list = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push({ code, details });
    this.faults.set(method, list);
  }

  clearFaults() { this.faults.clear(); }

  /** Recorded requests of one method. */
  calls(method: string) { return this.requests.filter((r) => r.method === method).map((r) => r.request); }

  async start(): Promise<string> {
    const pkg = protoLoader.loadSync(GATEWAY_PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
    const proto = grpc.loadPackageDefinition(pkg) as any;
    const service = proto.gateway_protocol.Gateway.service as grpc.ServiceDefinition;
    const impl: Record<string, grpc.UntypedHandleCall> = {};
    for (const method of Object.keys(service)) {
      const answer = (this.handlers as any)[method] as ((req: any, call: any) => Promise<any>) | undefined;
      if (service[method].responseStream) impl[method] = (call: grpc.ServerWritableStream<any, any>) => this.stream(method, call, answer);
      else impl[method] = (call: grpc.ServerUnaryCall<any, any>, cb: grpc.sendUnaryData<any>) => this.unary(method, call, cb, answer);
    }
    this.server.addService(service, impl);
    const port = await new Promise<number>((resolve, reject) => this.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
    this.address = `127.0.0.1:${port}`;
    return this.address;
  }

  async stop() {
    // Open long polls end within a second; then whatever is left is cut.
    await Promise.race([new Promise<void>((resolve) => this.server.tryShutdown(() => resolve())), new Promise((r) => setTimeout(r, 2_000))]);
    this.server.forceShutdown();
  }

  private record(method: string, request: any): Fault | undefined {
    this.requests.push({ method, request, at: Date.now() });
    return this.faults.get(method)?.shift();
  }

  private async unary(method: string, call: grpc.ServerUnaryCall<any, any>, cb: grpc.sendUnaryData<any>, answer?: (req: any, call: any) => Promise<any>) {
    const fault = this.record(method, call.request);
    if (fault) return cb({ code: fault.code, details: fault.details });
    if (!answer) return cb({ code: grpc.status.UNIMPLEMENTED, details: `${method} is not served by the test gateway` });
    try { cb(null, await answer(call.request, call)); } catch (err) { cb(toStatus(err)); }
  }

  private async stream(method: string, call: grpc.ServerWritableStream<any, any>, answer?: (req: any, call: any) => Promise<any>) {
    const fault = this.record(method, call.request);
    if (fault) return call.destroy(Object.assign(new Error(fault.details), { code: fault.code, details: fault.details }));
    if (!answer) return call.destroy(Object.assign(new Error('unimplemented'), { code: grpc.status.UNIMPLEMENTED, details: `${method} is not served by the test gateway` }));
    try {
      const out = await answer(call.request, call);
      if (out && !call.cancelled) call.write(out);
      call.end();
    } catch (err) {
      const s = toStatus(err);
      call.destroy(Object.assign(new Error(s.details), s));
    }
  }

  private handlers = {
    Topology: async () => {
      const t = await this.backend.topology();
      return {
        brokers: t.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, version: b.version, partitions: b.partitions.map((p) => ({ partitionId: p.partitionId, role: p.role.toUpperCase(), health: p.health.toUpperCase() })) })),
        clusterSize: t.clusterSize, partitionsCount: t.partitionsCount, replicationFactor: t.replicationFactor, gatewayVersion: t.gatewayVersion,
      };
    },
    DeployResource: async (req: any) => {
      const d = await this.backend.deploy(req.resources.map((r: any) => ({ name: r.name, content: Buffer.from(r.content) })), req.tenantId || undefined);
      return {
        key: d.deploymentKey, tenantId: d.tenantId,
        deployments: d.deployments.map((item) => ('processDefinition' in item
          ? { process: { bpmnProcessId: item.processDefinition.processDefinitionId, version: item.processDefinition.processDefinitionVersion, processDefinitionKey: item.processDefinition.processDefinitionKey, resourceName: item.processDefinition.resourceName, tenantId: item.processDefinition.tenantId } }
          : { form: { formId: item.form.formId, version: item.form.version, formKey: item.form.formKey, resourceName: item.form.resourceName, tenantId: item.form.tenantId } })),
      };
    },
    CreateProcessInstance: async (req: any) => {
      const byKey = num(req.processDefinitionKey) > 0;
      const created = await this.backend.createProcessInstance({
        ...(byKey ? { processDefinitionKey: String(req.processDefinitionKey) } : { processDefinitionId: req.bpmnProcessId, processDefinitionVersion: req.version > 0 ? req.version : undefined }),
        variables: parse(req.variables), tenantId: req.tenantId || undefined,
      });
      return { processDefinitionKey: created.processDefinitionKey, bpmnProcessId: created.processDefinitionId, version: created.processDefinitionVersion, processInstanceKey: created.processInstanceKey, tenantId: created.tenantId };
    },
    CancelProcessInstance: async (req: any) => { await this.backend.cancelProcessInstance(String(req.processInstanceKey)); return {}; },
    ActivateJobs: async (req: any, call: grpc.ServerWritableStream<any, any>) => {
      const abort = new AbortController();
      call.on('cancelled', () => abort.abort());
      // Long polling is the backend's; capped so a stopping test does not wait on it.
      const requestTimeout = Math.min(num(req.requestTimeout) > 0 ? num(req.requestTimeout) : 10_000, 1_000);
      const jobs = await this.backend.activateJobs({ type: req.type, worker: req.worker, timeout: num(req.timeout), maxJobsToActivate: req.maxJobsToActivate, fetchVariable: req.fetchVariable, requestTimeout, tenantIds: req.tenantIds }, abort.signal);
      return {
        jobs: jobs.map((j) => ({
          key: j.jobKey, type: j.type, processInstanceKey: j.processInstanceKey, bpmnProcessId: j.processDefinitionId, processDefinitionVersion: j.processDefinitionVersion,
          processDefinitionKey: j.processDefinitionKey, elementId: j.elementId, elementInstanceKey: j.elementInstanceKey, customHeaders: JSON.stringify(zeebeHeaders(j.customHeaders)),
          worker: j.worker, retries: j.retries, deadline: String(j.deadline), variables: JSON.stringify(j.variables), tenantId: j.tenantId,
        })),
      };
    },
    CompleteJob: async (req: any) => { await this.backend.completeJob(String(req.jobKey), parse(req.variables)); return {}; },
    FailJob: async (req: any) => {
      await this.backend.failJob(String(req.jobKey), { retries: req.retries, errorMessage: req.errorMessage, retryBackOff: num(req.retryBackOff), variables: parse(req.variables) });
      return {};
    },
    ThrowError: async (req: any) => { await this.backend.throwJobError(String(req.jobKey), { errorCode: req.errorCode, errorMessage: req.errorMessage, variables: parse(req.variables) }); return {}; },
    PublishMessage: async (req: any) => {
      const m = await this.backend.publishMessage({ name: req.name, correlationKey: req.correlationKey, timeToLive: num(req.timeToLive), messageId: req.messageId || undefined, variables: parse(req.variables), tenantId: req.tenantId || undefined });
      return { key: m.messageKey, tenantId: m.tenantId };
    },
    ResolveIncident: async (req: any) => { await this.backend.resolveIncident(String(req.incidentKey)); return {}; },
    // The embedded backend gives a job one more retry when its incident is resolved, which is
    // what ZeebeRuntime asks for here; the request is recorded and acknowledged.
    UpdateJobRetries: async () => ({}),
  };
}

/**
 * Zeebe's own header names (`io.camunda.zeebe:formKey`, ...) contain dots, which the embedded
 * backend cannot store on FerretDB (key names with '.' are refused); diagrams for the backend
 * spell the prefix `io_camunda_zeebe:` and the gateway answers with Zeebe's names.
 */
function zeebeHeaders(headers: Record<string, string>) {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.replace(/^io_camunda_zeebe:/, 'io.camunda.zeebe:'), v]));
}

function toStatus(err: unknown): { code: grpc.status; details: string } {
  if (err instanceof RuntimeError) return { code: STATUS_OF[err.status] ?? grpc.status.UNKNOWN, details: `Command rejected with code '${err.code}': ${err.message}` };
  return { code: grpc.status.INTERNAL, details: (err as Error)?.message ?? String(err) };
}

export async function startTestGateway(backend: Runtime) {
  const gateway = new TestGateway(backend);
  await gateway.start();
  return gateway;
}

/**
 * A stand-in cluster for ZeebeRuntime: the test gateway (gRPC) and Gridflow's own Camunda-compatible
 * REST server (`createV2Router`, unprotected) over one embedded runtime on a test clock, plus the
 * SDK configuration that points a ZeebeRuntime at both.
 */
export interface TestCluster {
  backend: EmbeddedRuntime;
  clock: TestClock;
  gateway: TestGateway;
  restAddress: string;
  /** REST requests the runtime sent: method and path. */
  restCalls: Array<{ method: string; path: string }>;
  config: Record<string, unknown>;
  stop(): Promise<void>;
}

export async function startTestCluster(name: string): Promise<TestCluster> {
  const db = await testDatabase(name);
  const clock = new TestClock();
  const backend = new EmbeddedRuntime({ connection: db.connection, clock, timers: false });
  await backend.start();
  const gateway = await startTestGateway(backend);
  const restCalls: Array<{ method: string; path: string }> = [];
  const app = express();
  app.use((req, _res, next) => { restCalls.push({ method: req.method, path: req.path }); next(); });
  app.use('/v2', createV2Router(backend, { access: 'unprotected', formResolver: (task) => backend.getUserTaskForm(task.userTaskKey) }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const restAddress = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    backend, clock, gateway, restAddress, restCalls,
    config: {
      ZEEBE_GRPC_ADDRESS: `grpc://${gateway.address}`,
      ZEEBE_REST_ADDRESS: restAddress,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_LOG_LEVEL: 'none',
      CAMUNDA_JOB_WORKER_MAX_BACKOFF_MS: 2_000,
      zeebeGrpcSettings: {
        ZEEBE_CLIENT_LOG_LEVEL: 'NONE',
        ZEEBE_GRPC_CLIENT_MAX_RETRIES: 3,
        ZEEBE_GRPC_CLIENT_MAX_RETRY_TIMEOUT_SECONDS: 1,
        ZEEBE_GRPC_WORKER_POLL_INTERVAL_MS: 50,
        ZEEBE_GRPC_WORKER_LONGPOLL_SECONDS: 1,
      },
    },
    async stop() {
      const t0 = Date.now();
      await gateway.stop();
      if (process.env.GRIDFLOW_TEST_DEBUG) console.log('gateway stopped in', Date.now() - t0);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await backend.stop();
    },
  };
}
