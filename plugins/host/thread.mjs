// The entry of a plugin thread: TypeScript through tsx's ESM hooks in this thread too (hooks the
// platform registered do not reach worker threads), then worker.ts does the job.
import { register } from 'tsx/esm/api';

register();
const worker = import('./worker.ts');

export default async function runJob(task) {
  return (await worker).default(task);
}
