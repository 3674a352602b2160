// Drives the programmes through the runtime seam as their users would: starts instances, waits for
// a user task to appear (in the instance or the processes it called), checks the submission
// against the task's form as the server does, and completes it. The demo flows and the scenario
// tests share it.
import { validateSubmission } from '../../forms/index.ts';
import type { Runtime, UserTask, Variables } from '../../engine/runtime.ts';

export class SubmissionRefused extends Error {
  constructor(readonly task: string, readonly errors: Array<{ path: string; code: string; message: string }>) {
    super(`${task}: ${errors.map((e) => `${e.path} ${e.code} (${e.message})`).join('; ')}`);
  }
}

export interface DriverOptions {
  /** Settles the runtime's background work (the embedded runtime's idle()); polling otherwise. */
  settle?: () => Promise<void>;
  timeoutMs?: number;
}

export class Driver {
  tasksCompleted = 0;
  instances = 0;
  constructor(readonly runtime: Runtime, private readonly opts: DriverOptions = {}) {}

  async start(processDefinitionId: string, variables: Variables): Promise<string> {
    const { processInstanceKey } = await this.runtime.createProcessInstance({ processDefinitionId, variables });
    this.instances++;
    await this.opts.settle?.();
    return processInstanceKey;
  }

  /** The instance and every instance it called, depth first. */
  async family(processInstanceKey: string): Promise<string[]> {
    const out = [processInstanceKey];
    const { items } = await this.runtime.searchProcessInstances({ filter: { parentProcessInstanceKey: processInstanceKey }, page: { limit: 1000 } });
    for (const child of items) out.push(...(await this.family(child.processInstanceKey)));
    return out;
  }

  async openTasks(processInstanceKey: string, elementId?: string, minimum = Infinity): Promise<UserTask[]> {
    const own = async (key: string) => (await this.runtime.searchUserTasks({ filter: { processInstanceKey: key, state: 'CREATED', ...(elementId ? { elementId } : {}) }, page: { limit: 1000 } })).items;
    // The instance's own tasks first: the processes it called are searched only when they are not enough.
    const direct = await own(processInstanceKey);
    if (direct.length >= minimum) return direct;
    const tasks = [...direct];
    for (const key of (await this.family(processInstanceKey)).slice(1)) tasks.push(...(await own(key)));
    return tasks;
  }

  /** Waits until `count` open tasks of the element exist under the instance. */
  async tasks(processInstanceKey: string, elementId: string, count = 1): Promise<UserTask[]> {
    const deadline = Date.now() + (this.opts.timeoutMs ?? 10_000);
    for (let pause = 10; ; pause = Math.min(200, pause * 1.5)) {
      await this.opts.settle?.();
      const found = await this.openTasks(processInstanceKey, elementId, count);
      if (found.length >= count) return found;
      if (Date.now() > deadline) {
        const open = (await this.openTasks(processInstanceKey)).map((t) => t.elementId);
        const incidents = (await this.runtime.searchIncidents({ filter: { processInstanceKey, state: 'ACTIVE' } })).items.map((i) => `${i.elementId}: ${i.errorMessage}`);
        throw new Error(`no open task '${elementId}' under instance ${processInstanceKey} (open: ${open.join(', ') || 'none'}; incidents: ${incidents.join('; ') || 'none'})`);
      }
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  async task(processInstanceKey: string, elementId: string): Promise<UserTask> {
    return (await this.tasks(processInstanceKey, elementId))[0]!;
  }

  /** Checks the submission against the task's form (the server's rule), then completes the task. */
  async submit(task: UserTask, submission: Variables, by: string | null = null): Promise<void> {
    const form = await this.runtime.getUserTaskForm(task.userTaskKey);
    if (form) {
      const variables = await this.runtime.getUserTaskVariables(task.userTaskKey);
      const result = validateSubmission(JSON.parse(form.schema), submission, variables, { locale: 'zh' });
      if (!result.ok) throw new SubmissionRefused(`${task.processDefinitionId}/${task.elementId}`, result.errors);
    }
    await this.runtime.completeUserTask(task.userTaskKey, submission, by);
    this.tasksCompleted++;
    await this.opts.settle?.();
  }

  /** Waits for the element's task under the instance and submits to it. */
  async complete(processInstanceKey: string, elementId: string, submission: Variables, by: string | null = null): Promise<UserTask> {
    const task = await this.task(processInstanceKey, elementId);
    await this.submit(task, submission, by);
    return task;
  }

  /** Waits until the condition holds (job handlers run in the background). */
  async until(condition: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + (this.opts.timeoutMs ?? 10_000);
    for (let pause = 10; ; pause = Math.min(200, pause * 1.5)) {
      await this.opts.settle?.();
      if (await condition()) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  async ended(processInstanceKey: string): Promise<void> {
    await this.until(async () => (await this.runtime.getProcessInstance(processInstanceKey)).state === 'COMPLETED', `instance ${processInstanceKey} to complete`);
  }

  /** The instance's root variables. */
  async variables(processInstanceKey: string): Promise<Variables> {
    const { items } = await this.runtime.searchVariables({ filter: { processInstanceKey, scopeKey: processInstanceKey }, page: { limit: 1000 } });
    return Object.fromEntries(items.map((v) => [v.name, JSON.parse(v.fullValue ?? v.value)]));
  }
}
