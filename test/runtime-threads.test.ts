// Runs on run threads (engine/embedded/runs.ts, run-host.ts): the same instance behaves alike on a
// run thread, on the HTTP thread, and with runs held between commands; FEEL functions registered
// here are called from the run thread; a run thread that dies is replaced.
import assert from 'node:assert/strict';
import { EmbeddedRuntime } from '../engine/embedded/embedded-runtime.ts';
import { runThreads } from '../engine/embedded/run-host.ts';
import { runCacheBudgetKib } from '../engine/embedded/run-cache.ts';
import { registerFeelFunction } from '../engine/feel/index.ts';
import { date, FeelDate } from 'feelin';
import { bpmn, flow, userTask } from './helpers/bpmn.ts';
import { testDatabase } from './helpers/database.ts';
import { TestClock, deployXml } from './helpers/runtime.ts';

const HOUR = 3_600_000;

// A script shifts a date with a registered function; a task waits under a non-interrupting
// warning timer whose date is FEEL on the runtime's clock; a later timer comes after it.
const XML = bpmn('threads', `
  <bpmn:startEvent id="s"/>${flow('f0', 's', 'shift')}
  <bpmn:scriptTask id="shift"><bpmn:extensionElements><zeebe:script expression="=next working date(date(&quot;2026-01-02&quot;))" resultVariable="next"/></bpmn:extensionElements></bpmn:scriptTask>
  ${flow('f1', 'shift', 'work')}
  <bpmn:subProcess id="work"><bpmn:startEvent id="ws"/>${flow('f2', 'ws', 't')}${userTask('t')}${flow('f3', 't', 'we')}<bpmn:endEvent id="we"/></bpmn:subProcess>
  <bpmn:boundaryEvent id="warn" cancelActivity="false" attachedToRef="work"><bpmn:timerEventDefinition><bpmn:timeDate>=now() + duration("PT1H")</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>
  ${flow('f4', 'warn', 'warned')}<bpmn:endEvent id="warned"/>
  ${flow('f5', 'work', 'later')}
  <bpmn:intermediateCatchEvent id="later"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  ${flow('f6', 'later', 'e')}<bpmn:endEvent id="e"/>`);

describe('embedded runtime: run threads', () => {
  let unregister: () => void;
  before(() => {
    // Answered on this thread, with feelin's own temporal values both ways.
    unregister = registerFeelFunction('next working date', (d: unknown) => {
      assert.ok(d instanceof FeelDate, 'the argument arrives as a FEEL date');
      return date('2026-01-05');
    }, ['d']);
  });
  after(() => unregister());

  for (const [label, opts] of [
    ['on a run thread (the default)', {}],
    ['on the HTTP thread (GRIDFLOW_RUN_THREADS=0)', { runThreads: 0 }],
    ['on a run thread that holds runs between commands', { runThreads: 1, runCacheKib: 8 * 1024 }],
  ] as const) {
    it(`runs alike ${label}: registered functions, the runtime's clock, one revision per command`, async function () {
      this.timeout(30_000);
      const db = await testDatabase(`run_threads_${Object.values(opts).join('_') || 'default'}`);
      const clock = new TestClock();
      const rt = new EmbeddedRuntime({ connection: db.connection, clock, timers: false, ...opts });
      await rt.start();
      try {
        await deployXml(rt, 'threads.bpmn', XML);
        const { processInstanceKey: pik } = await rt.createProcessInstance({ processDefinitionId: 'threads' });
        const vars = (await rt.searchVariables({ filter: { processInstanceKey: pik, name: 'next' } })).items;
        assert.equal(JSON.parse(vars[0]!.value), '2026-01-05');
        const revisions = () => rt.store.revisions.countDocuments({ pik });
        const started = await revisions();

        // Held or not, the run reads the clock of the command, not of the run's making.
        clock.advance(90 * 60_000);
        await rt.timers.tick();
        await rt.idle();
        const events = async () => (await rt.history(pik)).map((h) => `${h.event}:${h.elementId}`);
        assert.ok((await events()).includes('TIMER_TRIGGERED:warn'), 'the warning fired after 90 minutes');
        assert.equal(await revisions(), started + 1, 'the timer is one revision; resuming under a stored timer writes none');

        const [task] = (await rt.searchUserTasks({ filter: { processInstanceKey: pik, state: 'CREATED' } })).items;
        await rt.completeUserTask(task!.userTaskKey, { done: true });
        assert.equal(await revisions(), started + 2);
        clock.advance(HOUR);
        await rt.timers.tick();
        assert.ok(!(await events()).includes('TIMER_TRIGGERED:later'), 'PT2H is not due an hour after the task');
        clock.advance(HOUR + 60_000);
        await rt.timers.tick();
        await rt.idle();
        assert.equal((await rt.getProcessInstance(pik)).state, 'COMPLETED', (await events()).join(' '));
      } finally {
        await rt.stop();
      }
    });
  }

  it('a run thread that dies fails the commands it held with 503, and the next command runs on a new one', async function () {
    this.timeout(30_000);
    const db = await testDatabase('run_threads_death');
    const rt = new EmbeddedRuntime({ connection: db.connection, timers: false });
    await rt.start();
    try {
      await deployXml(rt, 'one.bpmn', bpmn('one', `<bpmn:startEvent id="s"/>${flow('f0', 's', 't')}${userTask('t')}${flow('f1', 't', 'e')}<bpmn:endEvent id="e"/>`));
      const { processInstanceKey: pik } = await rt.createProcessInstance({ processDefinitionId: 'one' });
      // The thread is stopped as soon as the start is handed to it.
      const shard = (rt as any).runs.shards[0];
      const send = shard.send.bind(shard);
      shard.send = (req: { op: string }) => {
        const answer = send(req);
        if (req.op === 'start') { shard.send = send; void shard.current.worker.terminate(); }
        return answer;
      };
      await assert.rejects(rt.createProcessInstance({ processDefinitionId: 'one' }), (err: any) => err.status === 503 && err.code === 'UNAVAILABLE');
      const [task] = (await rt.searchUserTasks({ filter: { processInstanceKey: pik, state: 'CREATED' } })).items;
      await rt.completeUserTask(task!.userTaskKey, {});
      assert.equal((await rt.getProcessInstance(pik)).state, 'COMPLETED');
    } finally {
      await rt.stop();
    }
  });

  it('refuses a malformed GRIDFLOW_RUN_THREADS or GRIDFLOW_RUN_CACHE_MIB, naming it', () => {
    assert.equal(runThreads(undefined), 1);
    assert.equal(runThreads('0'), 0);
    for (const bad of ['two', '-1', '1.5', '17']) assert.throws(() => runThreads(bad), new RegExp(`GRIDFLOW_RUN_THREADS=${bad.replace('.', '\\.')}: expected a whole number from 0 to 16`));
    assert.equal(runCacheBudgetKib(undefined), 0);
    assert.equal(runCacheBudgetKib('1.5'), 1536);
    for (const bad of ['lots', '-2']) assert.throws(() => runCacheBudgetKib(bad), new RegExp(`GRIDFLOW_RUN_CACHE_MIB=${bad}: expected a number of mebibytes`));
  });
});
