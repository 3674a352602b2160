// Two platform processes on ONE database at the same time, as a horizontally scaled deployment
// runs them: timers fire once, a job is handed to one worker at a time, and an instance advanced
// from both processes at once loses no update and never runs a step twice. The processes share
// nothing but the database (FerretDB 1.x: conditional updates are not atomic across connections,
// unique inserts are), so every race here is decided there.
// Random pauses come from a seeded generator: the seed is printed, TWO_PROCESS_SEED replays it.
import assert from 'node:assert/strict';
import { bpmn, flow, serviceTask, userTask } from './helpers/bpmn.ts';
import { testDatabase, type TestDatabase } from './helpers/database.ts';
import { HttpError, Platform, historyProblems, killAllPlatforms, seededRandom, sleep } from './helpers/platform.ts';

const TIMER_XML = bpmn('tp_timer', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'pause')}
  <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  ${flow('f2', 'pause', 'end')}<bpmn:endEvent id="end"/>`);

const JOB_XML = bpmn('tp_job', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'work')}
  ${serviceTask('work', 'tp-work')}${flow('f2', 'work', 'end')}<bpmn:endEvent id="end"/>`);

const PARALLEL_XML = bpmn('tp_par', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'split')}
  <bpmn:parallelGateway id="split"/>${flow('f2', 'split', 'left')}${flow('f3', 'split', 'right')}
  ${userTask('left')}${userTask('right')}${flow('f4', 'left', 'join')}${flow('f5', 'right', 'join')}
  <bpmn:parallelGateway id="join"/>${flow('f6', 'join', 'end')}<bpmn:endEvent id="end"/>`);

/** Poll until every instance is COMPLETED (or the time is up); returns those that are not. */
async function waitCompleted(p: Platform, keys: string[], ms: number): Promise<string[]> {
  const pending = new Set(keys);
  const until = Date.now() + ms;
  while (pending.size && Date.now() < until) {
    const done = await p.client.searchInstances({ state: 'COMPLETED' }, 10_000);
    for (const d of done) pending.delete(d.processInstanceKey);
    if (pending.size) await sleep(200);
  }
  return [...pending];
}

async function variablesOf(p: Platform, pik: string) {
  return Object.fromEntries((await p.client.searchVariables({ processInstanceKey: pik })).map((v) => [v.name, v.value]));
}

describe('two platform processes on one database', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let a: Platform;
  let b: Platform;
  const seed = Number(process.env.TWO_PROCESS_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const rand = seededRandom(seed);

  before(async () => {
    console.log(`      two-process seed: ${seed} (replay with TWO_PROCESS_SEED=${seed})`);
    db = await testDatabase('two_process');
    [a, b] = await Promise.all([Platform.start({ uri: db.uri, name: 'A' }), Platform.start({ uri: db.uri, name: 'B' })]);
    for (const [name, xml] of [['timer.bpmn', TIMER_XML], ['job.bpmn', JOB_XML], ['par.bpmn', PARALLEL_XML]]) await a.client.deploy(name, xml);
  });

  after(() => killAllPlatforms());

  afterEach(function () {
    if (this.currentTest?.state !== 'failed') return;
    for (const p of [a, b]) if (p) console.log(`${p.name} output:\n${p.output(40)}`);
  });
  it('a timer fires exactly once', async () => {
    const keys: string[] = [];
    for (let n = 0; n < 20; n++) keys.push((await (n % 2 ? b : a).client.createInstance('tp_timer', { n })).processInstanceKey);
    const stuck = await waitCompleted(a, keys, 20_000);
    for (const k of stuck) console.log(`      stuck ${k}: ${JSON.stringify(await db.connection.collection('timers').find({ processInstanceKey: k }).toArray())}`);
    assert.deepEqual(stuck, [], 'every instance completed after its timer');
    for (const k of keys) {
      const history = await a.client.history(k);
      assert.deepEqual(historyProblems(history, ['start', 'pause', 'end', 'tp_timer']), [], `history of ${k}`);
      assert.equal(history.filter((h) => h.event === 'TIMER_TRIGGERED').length, 1, `TIMER_TRIGGERED of ${k}`);
    }
    assert.equal(await db.connection.collection('timers').countDocuments({ processInstanceKey: { $in: keys } }), 0, 'no timer left');
  });
  it('jobs: concurrent activations from both processes hand each job to one worker at a time, and all complete', async () => {
    const JOBS = 50;
    const LEASE = 60_000; // longer than the test: any second activation of a job would be within its lease
    const keys: string[] = [];
    for (let n = 0; n < JOBS; n++) keys.push((await (n % 2 ? b : a).client.createInstance('tp_job', { n })).processInstanceKey);

    const activations: Array<{ jobKey: string; worker: string; at: number; deadline: number }> = [];
    const completions = new Map<string, number[]>(); // job key → statuses
    const failures: string[] = [];
    const until = Date.now() + 40_000;
    const worker = async (p: Platform, other: Platform, name: string) => {
      while (Date.now() < until && [...completions.values()].filter((s) => s.includes(204)).length < JOBS) {
        const at = Date.now();
        const jobs = await p.client.activateJobs({ type: 'tp-work', worker: name, maxJobsToActivate: 5, timeout: LEASE, requestTimeout: 300 });
        for (const j of jobs) activations.push({ jobKey: j.jobKey, worker: name, at, deadline: Number(j.deadline) });
        await Promise.all(jobs.map(async (j) => {
          await sleep(Math.floor(rand() * 30));
          const via = rand() < 0.5 ? p : other; // complete through either process
          let status = 204;
          try { await via.client.completeJob(j.jobKey, { doneBy: name }); } catch (err) {
            if (!(err instanceof HttpError)) throw err;
            status = err.status;
            failures.push(`${j.jobKey} via ${via.name}: ${err.message}`);
          }
          completions.set(j.jobKey, [...(completions.get(j.jobKey) ?? []), status]);
        }));
      }
    };
    await Promise.all([0, 1, 2].flatMap((n) => [worker(a, b, `A${n}`), worker(b, a, `B${n}`)]));

    const twice: string[] = [];
    const byKey = new Map<string, typeof activations>();
    for (const act of activations) byKey.set(act.jobKey, [...(byKey.get(act.jobKey) ?? []), act]);
    for (const [key, list] of byKey) {
      list.sort((x, y) => x.at - y.at);
      for (let n = 1; n < list.length; n++) {
        if (list[n].at < list[n - 1].deadline) twice.push(`${key}: ${list[n - 1].worker} then ${list[n].worker} ${list[n].at - list[n - 1].at} ms later, within the lease`);
      }
    }
    console.log(`      ${activations.length} activations of ${byKey.size} jobs by ${new Set(activations.map((x) => x.worker)).size} workers`);
    for (const line of twice) {
      const key = line.split(':')[0];
      const claims = (await db.connection.collection('claims').find({}).toArray()).filter((c) => String(c._id).includes(key));
      console.log(`      ${line}\n        activations: ${JSON.stringify(byKey.get(key))}\n        claims: ${JSON.stringify(claims)}\n        completions: ${JSON.stringify(completions.get(key))}`);
    }
    assert.deepEqual(twice, [], 'no job handed out twice while its lease was valid');
    assert.deepEqual(failures, [], 'every completion accepted');
    assert.equal(byKey.size, JOBS);
    assert.deepEqual([...completions].filter(([, s]) => s.length !== 1 || s[0] !== 204), []);
    assert.deepEqual(await waitCompleted(a, keys, 5_000), []);
    for (const k of keys) assert.deepEqual(historyProblems(await b.client.history(k), ['start', 'work', 'end', 'tp_job']), [], `history of ${k}`);
    assert.deepEqual(await a.client.activateJobs({ type: 'tp-work', maxJobsToActivate: 100, timeout: 1_000, requestTimeout: -1 }), []);
    assert.deepEqual(await b.client.activateJobs({ type: 'tp-work', maxJobsToActivate: 100, timeout: 1_000, requestTimeout: -1 }), []);
  });
  it('one instance advanced from both processes at once: both completions apply, no lost update', async () => {
    const N = 20;
    const piks: string[] = [];
    for (let i = 0; i < N; i++) piks.push((await (i % 2 ? b : a).client.createInstance('tp_par', { i })).processInstanceKey);
    const results: string[] = [];
    // Five instances at a time; per instance, `left` through A and `right` through B at the same moment.
    for (let from = 0; from < N; from += 5) {
      await Promise.all(piks.slice(from, from + 5).map(async (pik, n) => {
        const i = from + n;
        const tasks = await a.client.searchUserTasks({ processInstanceKey: pik, state: 'CREATED' });
        const left = tasks.find((t) => t.elementId === 'left');
        const right = tasks.find((t) => t.elementId === 'right');
        assert.ok(left && right, `both tasks of ${pik} open`);
        const settled = await Promise.allSettled([a.client.completeUserTask(left.userTaskKey, { left: i }), b.client.completeUserTask(right.userTaskKey, { right: i })]);
        for (const s of settled) if (s.status === 'rejected') results.push(`${pik}: ${(s.reason as Error).message}`);
      }));
    }
    assert.deepEqual(results, [], 'both completions accepted');
    assert.deepEqual(await waitCompleted(b, piks, 5_000), [], 'every instance completed');
    for (let i = 0; i < N; i++) {
      assert.deepEqual(await variablesOf(a, piks[i]), { i, left: i, right: i }, `variables of ${piks[i]}`);
      assert.deepEqual(historyProblems(await a.client.history(piks[i]), ['start', 'split', 'left', 'right', 'join', 'end', 'tp_par']), [], `history of ${piks[i]}`);
    }
    assert.deepEqual(await a.client.searchUserTasks({ processDefinitionId: 'tp_par', state: 'CREATED' }), []);
  });
  it('one user task completed through both processes at once: exactly one succeeds, the other gets a 4xx', async () => {
    const N = 20;
    const piks: string[] = [];
    for (let i = 0; i < N; i++) piks.push((await (i % 2 ? a : b).client.createInstance('tp_par', { i })).processInstanceKey);
    const wrong: string[] = [];
    const refusedBy = { A: 0, B: 0 };
    await Promise.all(piks.map(async (pik, i) => {
      const tasks = await b.client.searchUserTasks({ processInstanceKey: pik, state: 'CREATED' });
      const left = tasks.find((t) => t.elementId === 'left')!;
      const right = tasks.find((t) => t.elementId === 'right')!;
      const [viaA, viaB] = await Promise.allSettled([a.client.completeUserTask(left.userTaskKey, { left: 'A' }), b.client.completeUserTask(left.userTaskKey, { left: 'B' })]);
      const ok = [viaA, viaB].filter((s) => s.status === 'fulfilled').length;
      const refused = [viaA, viaB].filter((s) => s.status === 'rejected' && s.reason instanceof HttpError && s.reason.status >= 400 && s.reason.status < 500);
      if (ok !== 1 || refused.length !== 1) {
        wrong.push(`${pik}: ${[viaA, viaB].map((s) => (s.status === 'fulfilled' ? '2xx' : (s.reason as Error).message)).join(' / ')}`);
        return;
      }
      const winner = viaA.status === 'fulfilled' ? 'A' : 'B';
      refusedBy[winner === 'A' ? 'B' : 'A']++;
      const vars = await variablesOf(a, pik);
      if (vars.left !== winner) wrong.push(`${pik}: ${winner} won, but left = ${JSON.stringify(vars.left)}`);
      await (i % 2 ? a : b).client.completeUserTask(right.userTaskKey, { right: i });
    }));
    console.log(`      refused: ${refusedBy.A} through A, ${refusedBy.B} through B`);
    assert.deepEqual(wrong, [], 'exactly one completion per task');
    assert.deepEqual(await waitCompleted(a, piks, 5_000), [], 'every instance completed');
    for (const pik of piks) {
      const history = await b.client.history(pik);
      assert.deepEqual(historyProblems(history, ['start', 'split', 'left', 'right', 'join', 'end', 'tp_par']), [], `history of ${pik}`);
      assert.equal(history.filter((h) => h.event === 'VARIABLE_SET' && h.name === 'left').length, 1, `left set once in ${pik}`);
    }
  });
});
