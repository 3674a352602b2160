// The embedded runtime's group commit and run cache: concurrent inserts into several collections go
// out as few database commands on a one-connection pool and every caller learns its own duplicates;
// grouped deletes; runs kept by estimated heap; reads of an instance's latest state probe once.
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { BatchInserter } from '../engine/embedded/batch.ts';
import { RunCache, runWeight } from '../engine/embedded/run-cache.ts';
import { createStore } from '../engine/embedded/store.ts';
import { connectOptions } from '../engine/db/connect.ts';
import { testDatabase } from './helpers/database.ts';
import { deployXml, testRuntime } from './helpers/runtime.ts';
import { bpmn } from './helpers/bpmn.ts';

describe('embedded runtime: group commit and run cache', () => {
  it('concurrent inserts into several collections go out as few commands, each caller told its own duplicates', async () => {
    const db = await testDatabase('runtime_batching');
    // Counting commands needs the driver's monitoring: a connection of its own to the same database.
    const uri = `${db.uri}${db.uri.includes('?') ? '&' : '?'}monitorCommands=true`;
    const connection = await mongoose.createConnection(uri, await connectOptions(uri)).asPromise();
    try {
      const inserts: string[] = [];
      (connection.getClient() as any).on('commandStarted', (e: any) => { if (e.commandName === 'insert') inserts.push(e.command.insert); });
      const store = createStore(connection);
      const batch = new BatchInserter();
      await batch.insert(store.history, [{ _id: 'taken/1', processInstanceKey: 'taken', seq: 1 }]);
      inserts.length = 0;
      const models = [store.history, store.claims, store.applied];
      const results = await Promise.all(Array.from({ length: 60 }, (_, i) => {
        const model = models[i % 3]!;
        const docs = [{ _id: `d${i}/1` }, { _id: `d${i}/2` }];
        if (i === 0) docs.push({ _id: 'taken/1' }); // already stored: a duplicate for this caller alone
        return batch.insert(model, docs);
      }));
      assert.deepEqual([...results[0]!], [2]);
      for (const r of results.slice(1)) assert.equal(r.size, 0);
      assert.equal(await store.history.countDocuments({}), 1 + 40);
      assert.equal(await store.claims.countDocuments({}), 40);
      assert.equal(await store.applied.countDocuments({}), 40);
      const pool = Number((connection.getClient() as any).options.maxPoolSize);
      // 180 documents in 60 calls: one command per collection for the first arrivals, one for the rest.
      if (pool === 1) assert.ok(inserts.length <= 6, `${inserts.length} insert commands: ${inserts.join(', ')}`);
      else assert.ok(inserts.length < 60, `${inserts.length} insert commands`);

      // Claims hold d1, d4, d7...: remove the first of each pair, and an id that is not there.
      for (let i = 0; i < 20; i++) batch.remove(store.claims, `d${i * 3 + 1}/1`);
      batch.remove(store.claims, 'never/1');
      for (let t = 0; t < 100 && (await store.claims.countDocuments({})) > 20; t++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(await store.claims.countDocuments({}), 20);
      assert.equal(await store.claims.countDocuments({ _id: { $regex: '/2$' } }), 20);
    } finally {
      await connection.close();
    }
  });

  it('keeps runs by their estimated heap, dropping the least recently used', () => {
    const cache = new RunCache<string>(1_000);
    cache.set('a', 'A', 400);
    cache.set('b', 'B', 400);
    assert.equal(cache.get('a'), 'A'); // a is now the most recently used
    cache.set('c', 'C', 400);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 'A');
    assert.equal(cache.get('c'), 'C');
    assert.equal(cache.weight, 800);
    cache.set('huge', 'H', 5_000); // larger than the budget: kept alone
    assert.equal(cache.size, 1);
    assert.equal(cache.get('huge'), 'H');
    cache.delete('huge');
    assert.equal(cache.weight, 0);
    assert.ok(runWeight(7) > 400 && runWeight(7) < 600, 'a two-task process weighs about half a MiB');
    assert.ok(runWeight(63) > 2_000, 'sixty elements weigh over 2 MiB');
  });

  it('reads the latest state of an instance this process moved with one probe, and sees what another writer committed', async () => {
    const { runtime, db } = await testRuntime('runtime_latest_probe');
    try {
      await deployXml(runtime, 'two.bpmn', bpmn('two_tasks', `
        <bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
        <bpmn:userTask id="a"><bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements></bpmn:userTask>
        <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="b"/>
        <bpmn:userTask id="b"><bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements></bpmn:userTask>
        <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="e"/><bpmn:endEvent id="e"/>`));
      const { processInstanceKey: pik } = await runtime.createProcessInstance({ processDefinitionId: 'two_tasks', variables: { n: 1 } } as any);
      for (let i = 0; i < 5; i++) await runtime.instances.note(pik, { event: 'NOTE', detail: String(i) });
      const probes: string[] = [];
      const exists = runtime.store.revisions.exists.bind(runtime.store.revisions);
      (runtime.store.revisions as any).exists = (filter: any) => { probes.push(filter._id); return exists(filter); };
      try {
        const latest = await runtime.instances.latest(pik);
        assert.equal(latest!.rev, 6);
        assert.deepEqual(probes, [`${pik}/7`]);

        // Another writer (a second process sharing the database) commits revision 7 behind this one's back.
        const stored = await db.connection.collection('instance_revisions').findOne({ _id: `${pik}/6` as any });
        await db.connection.collection('instance_revisions').insertOne({ ...stored!, _id: `${pik}/7` as any, rev: 7 });
        probes.length = 0;
        const moved = await runtime.instances.latest(pik);
        assert.equal(moved!.rev, 7);
        assert.ok(probes.length <= 4, `${probes.length} probes: ${probes.join(', ')}`);
      } finally {
        (runtime.store.revisions as any).exists = exists;
      }
    } finally {
      await runtime.stop();
    }
  });
});
