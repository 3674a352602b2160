// Jobs: in-process handlers, retries with back-off, incidents and their resolution, BPMN errors.
import assert from 'node:assert/strict';
import type { ActivatedJob } from '../../engine/runtime.ts';
import { bpmn, flow, serviceTask, userTask } from '../helpers/bpmn.ts';
import { activate, deploy, ended, incidents, openTasks, start, variablesEventually, type Scenario } from './steps.ts';

const withBoundary = (id: string, type: string) => bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'check')}${serviceTask('check', type)}${flow('f2', 'check', 'e')}<bpmn:endEvent id="e"/>
  <bpmn:boundaryEvent id="rejected" attachedToRef="check"><bpmn:errorEventDefinition errorRef="err_rej"/></bpmn:boundaryEvent>${flow('f3', 'rejected', 'rework')}${userTask('rework')}${flow('f4', 'rework', 'e2')}<bpmn:endEvent id="e2"/>`,
'<bpmn:error id="err_rej" name="Rejected" errorCode="REJECTED"/>');

export const jobs: Scenario[] = [
  {
    title: 'an in-process handler (registerJobHandler) completes every job of its type',
    async run(h) {
      const id = h.id('sc_handler');
      const type = h.id('sc-stamp');
      await deploy(h, `${id}.bpmn`, bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'stamp')}${serviceTask('stamp', type)}${flow('f2', 'stamp', 'e')}<bpmn:endEvent id="e"/>`));
      const seen: ActivatedJob[] = [];
      const stop = h.runtime.registerJobHandler(type, (job) => { seen.push(job); return { complete: { stamped: `seal-${job.variables.n}` } }; }, { timeout: 10_000, maxJobsActive: 2 });
      try {
        const piks = await Promise.all([1, 2, 3].map((n) => start(h, id, { n })));
        for (const [i, pik] of piks.entries()) {
          await ended(h, pik);
          await variablesEventually(h, pik, (v) => v.stamped === `seal-${i + 1}`, 'stamped');
        }
        const job = seen.find((j) => j.processInstanceKey === piks[0])!;
        assert.equal(job.type, type);
        assert.equal(job.elementId, 'stamp');
        assert.equal(job.processDefinitionId, id);
        assert.equal(job.retries, 3);
      } finally { stop(); }
    },
  },
  {
    title: 'a failed job waits out its back-off; at 0 retries an incident; resolved, the job runs again',
    async run(h) {
      const id = h.id('sc_retries');
      const type = h.id('sc-flaky');
      await deploy(h, `${id}.bpmn`, bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'call')}${serviceTask('call', type)}${flow('f2', 'call', 'e')}<bpmn:endEvent id="e"/>`));
      const pik = await start(h, id);
      const first = await activate(h, type, pik);
      await h.runtime.failJob(first.jobKey, { retries: 2, errorMessage: 'registry busy', retryBackOff: 2_000 });
      const during = await h.runtime.activateJobs({ type, worker: 'scenario', timeout: 60_000, maxJobsToActivate: 10, requestTimeout: 200 });
      assert.equal(during.filter((j) => j.processInstanceKey === pik).length, 0, 'not activatable during its back-off');
      await h.advance(2_000);
      const second = await activate(h, type, pik);
      assert.equal(second.jobKey, first.jobKey);
      assert.equal(second.retries, 2);
      await h.runtime.failJob(second.jobKey, { retries: 0, errorMessage: 'registry down' });
      const [incident] = await incidents(h, pik);
      assert.equal(incident.errorType, 'JOB_NO_RETRIES');
      assert.equal(incident.jobKey, first.jobKey);
      assert.equal(incident.elementId, 'call');
      assert.match(incident.errorMessage, /registry down/);
      await h.runtime.resolveIncident(incident.incidentKey);
      const third = await activate(h, type, pik);
      assert.equal(third.retries, 1);
      await h.runtime.completeJob(third.jobKey, { registered: true });
      await ended(h, pik);
    },
  },
  {
    title: 'a BPMN error thrown by a job is caught by the error boundary event',
    async run(h) {
      const id = h.id('sc_bpmn_error');
      const type = h.id('sc-check');
      await deploy(h, `${id}.bpmn`, withBoundary(id, type));
      const stop = h.runtime.registerJobHandler(type, () => ({ error: { errorCode: 'REJECTED', errorMessage: 'licence expired', variables: { reason: 'licence expired' } } }));
      try {
        const pik = await start(h, id);
        const [task] = await openTasks(h, pik);
        assert.equal(task.elementId, 'rework');
        await variablesEventually(h, pik, (v) => v.reason === 'licence expired', 'the error\'s variables');
      } finally { stop(); }
    },
  },
  {
    title: 'a BPMN error nothing catches raises an incident',
    async run(h) {
      const id = h.id('sc_uncaught');
      const type = h.id('sc-check2');
      await deploy(h, `${id}.bpmn`, withBoundary(id, type));
      const pik = await start(h, id);
      const job = await activate(h, type, pik);
      await h.runtime.throwJobError(job.jobKey, { errorCode: 'UNKNOWN_CODE', errorMessage: 'nobody catches this' });
      const [incident] = await incidents(h, pik);
      assert.equal(incident.errorType, 'UNHANDLED_ERROR_EVENT');
      assert.equal((await h.runtime.getProcessInstance(pik)).state, 'ACTIVE');
    },
  },
  {
    title: 'a handler that throws fails its job with one retry fewer; the next attempt completes it',
    async run(h) {
      const id = h.id('sc_throws');
      const type = h.id('sc-once');
      await deploy(h, `${id}.bpmn`, bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'once')}${serviceTask('once', type)}${flow('f2', 'once', 'e')}<bpmn:endEvent id="e"/>`));
      const retries: number[] = [];
      const stop = h.runtime.registerJobHandler(type, (job) => {
        retries.push(job.retries);
        if (retries.length === 1) throw new Error('temporary outage');
        return { complete: { attempts: retries.length } };
      });
      try {
        const pik = await start(h, id);
        await ended(h, pik);
        assert.deepEqual(retries, [3, 2]);
      } finally { stop(); }
    },
  },
];
