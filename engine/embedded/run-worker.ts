// A run thread (see run-host.ts): answers run requests; Runs handles them in the order they come.
import { parentPort, workerData } from 'node:worker_threads';
import { Runs, type RunRequest } from './runs.ts';
import { useRemoteFeelFunctions } from '../feel/bridge.ts';

const runs = new Runs(workerData.cacheKib);
const feelFunctions = useRemoteFeelFunctions(workerData.feel);

parentPort!.on('message', async ({ id, req }: { id: number; req: RunRequest }) => {
  if ('feel' in req && req.feel) feelFunctions(req.feel);
  const reply = await runs.handle(req);
  if (id < 0) return;
  try {
    parentPort!.postMessage({ id, reply });
  } catch (err) {
    void runs.handle({ op: 'forget', pik: (req as { pik: string }).pik });
    const message = `the run's result cannot be passed on: ${(err as Error).message}`;
    parentPort!.postMessage({ id, reply: { ok: false, error: { kind: 'failure', name: 'Error', message, elementId: null }, keysLeft: 0 } });
  }
});
