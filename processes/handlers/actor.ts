// Who a job acts for. A diagram names the user task whose work the job records in the header
// `actorTask` (e.g. `handle_t1`): the actor is the user who completed that task last in the same
// instance (only its assignee may complete it). Without the header, the `actor` variable, if any.
import type { ActivatedJob, Runtime, UserTask } from '../../engine/runtime.ts';

const later = (a: UserTask, b: UserTask) => {
  const at = (a.completionDate ?? '').localeCompare(b.completionDate ?? '');
  if (at !== 0) return at > 0;
  return BigInt(a.userTaskKey) > BigInt(b.userTaskKey);
};

export async function actorOf(job: ActivatedJob, runtime: Runtime | undefined): Promise<string | null> {
  const elementId = job.customHeaders.actorTask;
  if (elementId === undefined || elementId === '') {
    const actor = job.variables.actor;
    return typeof actor === 'string' && actor !== '' ? actor : null;
  }
  if (runtime === undefined) throw new Error('the header actorTask needs the runtime to find who completed the task');
  const { items } = await runtime.searchUserTasks({ filter: { processInstanceKey: job.processInstanceKey, elementId, state: 'COMPLETED' }, page: { limit: 1000 } });
  // Thrown, so retried: a cluster's search may not show a completion yet.
  if (items.length === 0) throw new Error(`the header actorTask names ${elementId}, but no ${elementId} task of instance ${job.processInstanceKey} is completed`);
  const last = items.reduce((a, b) => (later(b, a) ? b : a));
  return last.completedBy ?? null;
}
