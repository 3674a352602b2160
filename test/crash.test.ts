// Crash safety of the embedded runtime, end to end: the platform runs as a child process that is
// killed with SIGKILL at random moments while a load driver in this process starts instances,
// works their jobs and completes their user tasks over HTTP; after each kill it is restarted on
// the same database. Every instance must end exactly as it would have without the crashes.
// The kill schedule comes from a seeded generator: the seed is printed, CRASH_SEED replays it.
import assert from 'node:assert/strict';
import { bpmn, flow, serviceTask, userTask } from './helpers/bpmn.ts';
import { testDatabase, type TestDatabase } from './helpers/database.ts';
import {
  ConnectionError, HttpError, Platform, historyProblems, killAllPlatforms, seededRandom, sleep, untilAnswered,
} from './helpers/platform.ts';

const N = 40;
const KILLS = 6;
const JOB_TYPE = 'crash-work';
const LEASE_MS = 4_000;

// work (job) → split → review ∥ approve → join → gw: total >= 200 waits 1 s on a timer.
const CRASH_XML = bpmn('crash', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'work')}
  ${serviceTask('work', JOB_TYPE)}${flow('f2', 'work', 'split')}
  <bpmn:parallelGateway id="split"/>${flow('f3', 'split', 'review')}${flow('f4', 'split', 'approve')}
  ${userTask('review')}${userTask('approve')}${flow('f5', 'review', 'join')}${flow('f6', 'approve', 'join')}
  <bpmn:parallelGateway id="join"/>${flow('f7', 'join', 'gw')}
  <bpmn:exclusiveGateway id="gw" default="f9"/>${flow('f8', 'gw', 'wait', '=total >= 200')}${flow('f9', 'gw', 'endFast')}
  <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  ${flow('f10', 'wait', 'endSlow')}<bpmn:endEvent id="endSlow"/><bpmn:endEvent id="endFast"/>`);

const NAP_XML = bpmn('nap', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'doze')}
  <bpmn:intermediateCatchEvent id="doze"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  ${flow('f2', 'doze', 'end')}<bpmn:endEvent id="end"/>`);

/** What instance i ends with: the variables each step sets, and the elements it completes. */
const expected = (i: number) => ({
  variables: { i, total: i * 10, reviewed: i, approved: `ok-${i}` },
  completed: ['start', 'work', 'split', 'review', 'approve', 'join', 'gw', ...(i * 10 >= 200 ? ['wait', 'endSlow'] : ['endFast']), 'crash'],
  timers: i * 10 >= 200 ? 1 : 0,
});

/** Where an instance stands in the database, for failure messages. */
async function dump(db: TestDatabase, pik: string) {
  const c = (name: string) => db.connection.collection(name);
  const [revisions, jobs, tasks, timers] = await Promise.all([
    c('instance_revisions').find({ pik }, { projection: { rev: 1, applied: 1, state: 1, data: 1, at: 1 } }).sort({ rev: 1 }).toArray(),
    c('jobs').find({ processInstanceKey: pik }).toArray(),
    c('user_tasks').find({ processInstanceKey: pik }, { projection: { state: 1, elementId: 1, 'doc.elementId': 1 } }).toArray(),
    c('timers').find({ processInstanceKey: pik }).toArray(),
  ]);
  for (const r of revisions) {
    r.waits = (typeof r.data === 'string' ? JSON.parse(r.data) : r.data)?.waits; // what it waits for
    delete r.data;
  }
  const ids = [pik, ...jobs.map((j) => String(j._id))];
  const claims = (await c('claims').find({}).toArray()).filter((k) => ids.some((id) => String(k._id).includes(id)));
  const history = await c('history').find({ processInstanceKey: pik }).sort({ seq: 1 }).toArray();
  return JSON.stringify({ revisions, jobs, tasks, timers, claims, history: history.map((h) => `${h.seq} ${h.entry.event} ${h.entry.elementId ?? h.entry.name}`) }, null, 1);
}

describe('crash safety: the platform killed with SIGKILL under load', function () {
  this.timeout(150_000);
  let db: TestDatabase;
  let platform: Platform;

  before(async () => {
    db = await testDatabase('crash');
    platform = await Platform.start({ uri: db.uri, name: 'crash' });
    await platform.client.deploy('crash.bpmn', CRASH_XML);
    await platform.client.deploy('nap.bpmn', NAP_XML);
  });

  after(() => killAllPlatforms());

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && platform) console.log(`platform output:\n${platform.output()}`);
  });
  it('a child platform process is killed with SIGKILL at random moments under concurrent load and restarted; every instance ends exactly as it would have without the crash', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`      crash test seed: ${seed} (replay with CRASH_SEED=${seed})`);
    const rand = seededRandom(seed);
    const between = (a: number, b: number) => Math.round(a + rand() * (b - a));
    const started = Date.now();
    const deadline = started + 110_000;
    const api = platform.client;

    const pikOf = new Map<number, string>(); // i → instance
    const iOf = new Map<string, number>(); // instance → i
    const stats = {
      kills: 0, createLookups: 0, jobsCompleted: 0, tasksCompleted: 0,
      retriedThenRejected: 0, // a retried completion whose first attempt had taken effect: 404/409, no step ran twice
      staleRejected: 0, // a job whose lease ran out during a crash, completed by another worker first
      connectionErrors: 0,
    };
    // Per job / user task key: 2xx answers, and refusals of a retry whose lost first attempt went through.
    const outcomes = { job: new Map<string, { ok: number; lostThenRefused: number }>(), task: new Map<string, { ok: number; lostThenRefused: number }>() };
    const outcome = (kind: 'job' | 'task', key: string) => {
      const m = outcomes[kind];
      if (!m.has(key)) m.set(key, { ok: 0, lostThenRefused: 0 });
      return m.get(key)!;
    };
    const unexpected: string[] = [];
    let stop = false;
    const note = (err: unknown, what: string) => {
      if (err instanceof ConnectionError) { stats.connectionErrors++; return; }
      unexpected.push(`${what}: ${(err as Error)?.message ?? err}`);
    };
    const register = (i: number, pik: string) => { pikOf.set(i, pik); iOf.set(pik, i); };

    /** A create that had no answer: the instance exists if one we do not know yet has `i`. */
    const lookUp = async (i: number) => {
      stats.createLookups++;
      const { value: instances } = await untilAnswered(() => api.searchInstances({ processDefinitionId: 'crash' }), { deadline, label: 'instance search' });
      for (const p of instances.filter((p) => !iOf.has(p.processInstanceKey))) {
        const { value } = await untilAnswered(() => api.searchVariables({ processInstanceKey: p.processInstanceKey, name: 'i' }), { deadline, label: 'variable search' });
        if (value[0]?.value === i) return p.processInstanceKey as string;
      }
      return undefined;
    };

    const creator = async (from: number, step: number) => {
      for (let i = from; i < N; i += step) {
        await sleep(between(0, 400));
        for (;;) {
          try {
            register(i, (await api.createInstance('crash', { i })).processInstanceKey);
            break;
          } catch (err) {
            if (!(err instanceof ConnectionError) && !(err instanceof HttpError && err.status === 503)) throw err;
            stats.connectionErrors++;
            await sleep(100);
            const pik = await lookUp(i);
            if (pik) { register(i, pik); break; }
          }
        }
      }
    };

    /** Complete with retries; a 404/409 after a retry means the lost attempt went through. */
    const completeOnce = async (kind: 'job' | 'task', key: string, variables: Record<string, unknown>) => {
      const call = kind === 'job' ? () => api.completeJob(key, variables) : () => api.completeUserTask(key, variables);
      try {
        const { attempts } = await untilAnswered(call, { deadline, label: `${kind} ${key} completion` });
        if (attempts > 1) stats.connectionErrors += attempts - 1;
        outcome(kind, key).ok++;
        if (kind === 'job') stats.jobsCompleted++; else stats.tasksCompleted++;
      } catch (err) {
        if (err instanceof HttpError && (err.status === 404 || err.status === 409)) {
          if ((err as any).attempts > 1) { stats.retriedThenRejected++; outcome(kind, key).lostThenRefused++; }
          else if (kind === 'job') stats.staleRejected++;
          else unexpected.push(`task ${key}: first completion refused: ${err.message}`);
          return;
        }
        note(err, `${kind} ${key} completion`);
      }
    };

    const jobWorker = async (w: number) => {
      while (!stop && Date.now() < deadline) {
        let jobs: any[];
        try {
          jobs = await api.activateJobs({ type: JOB_TYPE, worker: `w${w}`, maxJobsToActivate: 4, timeout: LEASE_MS, requestTimeout: 500 });
        } catch (err) {
          note(err, 'activation');
          await sleep(100);
          continue;
        }
        await Promise.all(jobs.map((j) => completeOnce('job', j.jobKey, { total: (j.variables.i as number) * 10 })));
      }
    };

    const taken = new Set<string>(); // tasks a worker took: a search may still list them for a moment
    const taskWorker = async () => {
      while (!stop && Date.now() < deadline) {
        let tasks: any[];
        try {
          tasks = await api.searchUserTasks({ processDefinitionId: 'crash', state: 'CREATED' }, 50);
        } catch (err) {
          note(err, 'user task search');
          await sleep(100);
          continue;
        }
        const mine = tasks.filter((t) => !taken.has(t.userTaskKey) && iOf.has(t.processInstanceKey)).slice(0, 6);
        for (const t of mine) taken.add(t.userTaskKey);
        await Promise.all(mine.map(async (t) => {
          const i = iOf.get(t.processInstanceKey)!;
          await completeOnce('task', t.userTaskKey, t.elementId === 'review' ? { reviewed: i } : { approved: `ok-${i}` });
        }));
        if (!mine.length) await sleep(50);
      }
    };

    const killer = async () => {
      for (let k = 0; k < KILLS; k++) {
        await sleep(between(700, 3_000));
        await platform.kill('SIGKILL');
        stats.kills++;
        const down = between(0, 600);
        console.log(`      kill ${k + 1} at +${Date.now() - started} ms (created ${pikOf.size}, jobs ${stats.jobsCompleted}, tasks ${stats.tasksCompleted}), down ${down} ms`);
        await sleep(down);
        await platform.restart();
      }
    };

    const allCompleted = async () => {
      while (Date.now() < deadline) {
        if (pikOf.size === N) {
          try {
            const done = await api.searchInstances({ processDefinitionId: 'crash', state: 'COMPLETED' });
            if (done.length >= N) return;
          } catch (err) { note(err, 'instance search'); }
        }
        await sleep(300);
      }
    };

    // Progress every 2 s (created/jobs/tasks completed), printed at the end: shows stalls.
    const timeline: string[] = [];
    const ticker = setInterval(() => timeline.push(`${pikOf.size}/${stats.jobsCompleted}/${stats.tasksCompleted}`), 2_000);
    const drivers = [creator(0, 2), creator(1, 2), jobWorker(1), jobWorker(2), jobWorker(3), taskWorker(), taskWorker(), taskWorker()];
    try {
      await killer();
      await allCompleted();
    } finally {
      stop = true;
      clearInterval(ticker);
    }
    await Promise.all(drivers);
    console.log(`      ${JSON.stringify(stats)} in ${Date.now() - started} ms\n      progress every 2 s (created/jobs/tasks): ${timeline.join(' ')}`);

    // ---- the end state ---------------------------------------------------------------------------
    assert.equal(stats.kills, KILLS);
    assert.deepEqual(unexpected, []);
    assert.equal(pikOf.size, N);
    const all = await api.searchInstances({ processDefinitionId: 'crash' });
    assert.equal(all.length, N, 'one instance per create: none lost, none doubled');
    const notDone = all.filter((p) => p.state !== 'COMPLETED');
    for (const p of notDone) console.log(`      instance i=${iOf.get(p.processInstanceKey)} is ${p.state}:\n${await dump(db, p.processInstanceKey)}`);
    assert.deepEqual(notDone.map((p) => `${p.processInstanceKey} (i=${iOf.get(p.processInstanceKey)}): ${p.state}`), [], 'every instance completed');

    const allVars = await api.searchVariables({});
    for (let i = 0; i < N; i++) {
      const pik = pikOf.get(i)!;
      const want = expected(i);
      const vars = Object.fromEntries(allVars.filter((v) => v.processInstanceKey === pik).map((v) => [v.name, v.value]));
      assert.deepEqual(vars, want.variables, `variables of instance ${i} (${pik})`);
      const history = await api.history(pik);
      assert.deepEqual(historyProblems(history, want.completed), [], `history of instance ${i} (${pik})`);
      assert.equal(history.filter((h) => h.event === 'TIMER_TRIGGERED').length, want.timers, `timer of instance ${i}`);
    }

    // Each job and each user task completed exactly once: one 2xx answer, or none when the attempt
    // that went through lost its answer in a crash (its retry was then refused); never two.
    for (const kind of ['job', 'task'] as const) {
      assert.equal(outcomes[kind].size, kind === 'job' ? N : 2 * N, `${kind}s worked on`);
      const wrong = [...outcomes[kind]].filter(([, o]) => o.ok > 1 || (o.ok === 0 && o.lostThenRefused === 0));
      assert.deepEqual(wrong, [], `every ${kind} completed once`);
    }

    // Nothing left open.
    assert.deepEqual(await api.activateJobs({ type: JOB_TYPE, maxJobsToActivate: 100, timeout: 1_000, requestTimeout: -1 }), []);
    assert.deepEqual(await api.searchUserTasks({ processDefinitionId: 'crash', state: 'CREATED' }), []);
    assert.equal((await api.searchUserTasks({ processDefinitionId: 'crash', state: 'COMPLETED' })).length, 2 * N);
    assert.deepEqual(await api.searchElementInstances({ processDefinitionId: 'crash', state: 'ACTIVE' }), []);
    const openJobs = await db.connection.collection('jobs').find({ state: { $in: ['ACTIVATABLE', 'ACTIVATED', 'FAILED'] } }).toArray();
    assert.deepEqual(openJobs.map((j) => `${j._id}: ${j.state}`), [], 'no job left open');
    assert.equal(await db.connection.collection('timers').countDocuments({ processInstanceKey: { $in: [...iOf.keys()] } }), 0, 'no timer left');
    const errors = platform.errors();
    if (errors.length) console.log(`      platform stderr:\n${errors.join('\n')}`);
  });
  it('a timer that falls due while the platform is down fires right after restart', async () => {
    const api = platform.client;
    const keys: string[] = [];
    for (let n = 0; n < 5; n++) keys.push((await api.createInstance('nap', { n })).processInstanceKey);
    await platform.kill('SIGKILL');
    await sleep(3_000); // PT2S falls due while nobody runs
    const restarted = Date.now();
    await platform.restart();
    const up = Date.now();
    const pending = new Set(keys);
    while (pending.size && Date.now() - restarted < 10_000) {
      for (const k of [...pending]) if ((await api.getInstance(k)).state === 'COMPLETED') pending.delete(k);
      if (pending.size) await sleep(50);
    }
    const took = Date.now() - up;
    console.log(`      restart took ${up - restarted} ms; the overdue timers completed ${took} ms after it answered`);
    assert.deepEqual([...pending], [], 'every overdue timer fired');
    // Right after: not after a lease or a polling period has run out (those are 30 s and more).
    assert.ok(took < 5_000, `overdue timers fired ${took} ms after the platform was up again`);
    for (const k of keys) {
      const history = await api.history(k);
      assert.deepEqual(historyProblems(history, ['start', 'doze', 'end', 'nap']), []);
      assert.equal(history.filter((h) => h.event === 'TIMER_TRIGGERED').length, 1);
    }
  });
});
