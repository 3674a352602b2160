// The runtime scenarios, written once against the Runtime seam; each test file runs them on one runtime.
import { basics } from './basics.ts';
import { events } from './events.ts';
import type { MakeHarness, Harness } from './harness.ts';
import { jobs } from './jobs.ts';
import { programmes } from './programmes.ts';
import type { Scenario } from './steps.ts';
import { structure } from './structure.ts';
import { userTasks } from './user-tasks.ts';

export const SCENARIOS: Record<string, Scenario[]> = { basics, jobs, 'messages and timers': events, structure, 'user tasks': userTasks, programmes };

/** One mocha test per scenario on the runtime `make` builds; `pending` (a reason) marks them all pending. */
export function runScenarios(runtimeName: string, make: MakeHarness, opts: { pending?: string; timeout?: number } = {}) {
  describe(`runtime scenarios on ${runtimeName}${opts.pending ? ` (pending: ${opts.pending})` : ''}`, function () {
    this.timeout(opts.timeout ?? 60_000);
    for (const [group, scenarios] of Object.entries(SCENARIOS)) {
      describe(group, () => {
        for (const s of scenarios) {
          if (opts.pending) { it(s.title); continue; }
          it(s.title, async function () {
            const name = s.title.replace(/[^a-z0-9]+/gi, '_').slice(0, 28);
            const h: Harness = await make(name);
            try { await s.run(h); } finally { await h.close(); }
          });
        }
      });
    }
  });
}
