import assert from 'node:assert/strict';
import { usccCheckCharacter } from '../forms/uscc.ts';
import { caseModels } from '../processes/cases/model.ts';
import { CaseNumbers, zoneMonth } from '../processes/cases/numbers.ts';
import { CaseService } from '../processes/cases/service.ts';
import { orgModels } from '../processes/org/models.ts';
import mongoose from 'mongoose';
import { connectOptions } from '../engine/db/connect.ts';
import { testDatabase } from './helpers/database.ts';

const uscc = (body17: string) => body17 + usccCheckCharacter(body17)!;

describe('zone: models', () => {
  let connection: any;
  let uri: string;
  before(async () => {
    ({ connection, uri } = await testDatabase('zone_models'));
    await orgModels(connection).grids.create({ _id: '3', name: '第3网格' });
  });

  it('refuses an enterprise whose USCC is invalid, naming the code', async () => {
    const { enterprises } = orgModels(connection);
    await enterprises.create({ _id: uscc('91330113MA2E00001'), name: '有效企业', industry: 'ivd', gridId: '3' });
    const wrongCheck = '91330113MA2E00001' + (usccCheckCharacter('91330113MA2E00001') === 'A' ? 'B' : 'A');
    for (const bad of ['91330113MA2E0000', wrongCheck, '91330113MA2E0000I1', '']) {
      await assert.rejects(enterprises.create({ _id: bad, name: '无效企业', industry: 'ivd', gridId: '3' }), (err: any) => err.name === 'ValidationError' && (bad === '' || /not a valid unified social credit code/.test(err.message)), bad);
    }
    await assert.rejects(enterprises.create({ _id: uscc('91330113MA2E00002'), name: '无效产业', industry: 'shipbuilding', gridId: '3' }), /industry/);
    assert.equal(await enterprises.countDocuments({}), 1);
  });

  it('numbers cases SQ-<month>-<n>, consecutive under concurrency, never twice across processes', async () => {
    const enterprise = uscc('91330113MA2E00001');
    const at = new Date('2026-11-20T10:00:00+08:00');
    // Two services on one database stand for two processes with their own in-memory state.
    const a = new CaseService(connection);
    const b = new CaseService(connection);
    const opened = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).open({ enterprise, category: 'tax', title: `并发 ${i}` }, { at })));
    const numbers = opened.map((c) => c._id as string).sort();
    assert.equal(new Set(numbers).size, 40, 'all distinct');
    assert.deepEqual(numbers, Array.from({ length: 40 }, (_, i) => `SQ-202611-${String(i + 1).padStart(4, '0')}`), 'consecutive from 0001');
    // A new process continues after the highest number of the month; a new month starts at 0001.
    const c = new CaseService(connection);
    assert.equal((await c.open({ enterprise, category: 'tax', title: '下一件' }, { at }))._id, 'SQ-202611-0041');
    assert.equal((await c.open({ enterprise, category: 'tax', title: '十二月' }, { at: new Date('2026-12-01T00:10:00+08:00') }))._id, 'SQ-202612-0001');
  });

  it('files in the zone\'s month: 30 Nov 23:30 UTC is already December in the zone', async () => {
    assert.equal(zoneMonth(new Date('2026-11-30T23:30:00Z')), '2026-12');
    assert.equal(zoneMonth(new Date('2026-11-30T15:59:00Z')), '2026-11');
    const numbers = new CaseNumbers(caseModels(connection));
    assert.match(await numbers.allocate(new Date('2026-10-31T16:30:00Z')), /^SQ-202611-/);
  });

  it('loses no change when two processes change one case at once', async () => {
    // A second connection stands for a second process: FerretDB's conditional updates are not
    // atomic across connections, the claim of each version is.
    const other = await mongoose.createConnection(uri, await connectOptions(uri)).asPromise();
    try {
      const a = new CaseService(connection);
      const b = new CaseService(other);
      const c = await a.open({ enterprise: uscc('91330113MA2E00001'), category: 'tax', title: '并发变更' }, { at: new Date('2026-11-23T10:00:00+08:00') });
      await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).apply(c._id, 'warned', { comment: `第${i}次` })));
      const after = await a.get(c._id);
      assert.deepEqual([after.timeline.length, after.version], [31, 30]);
      assert.equal(new Set(after.timeline.map((t: any) => t.comment)).size, 31);
      assert.equal((await a.models.facts.findById(c._id).lean<any>()).version, 30, 'the lean copy ends at the last version');
    } finally {
      await other.close();
    }
  });

  it('takes over a change claimed by a writer that died before writing', async () => {
    const s = new CaseService(connection);
    const c = await s.open({ enterprise: uscc('91330113MA2E00001'), category: 'tax', title: '遗留认领' }, { at: new Date('2026-11-23T10:00:00+08:00') });
    await s.models.changes.collection.insertOne({ _id: `${c._id}/1` as any, at: Date.now() - 60_000 });
    const after = await s.apply(c._id, 'accepted', {}, { at: new Date('2026-11-23T11:00:00+08:00') });
    assert.deepEqual([after.status, after.version], ['accepted', 1]);
  });

  it('keeps the case lean copy in step with the case', async () => {
    const s = new CaseService(connection);
    const c = await s.open({ enterprise: uscc('91330113MA2E00001'), category: 'land', title: '用地' }, { at: new Date('2026-11-23T10:00:00+08:00') });
    await s.apply(c._id, 'escalated', { reason: '需协调' }, { at: new Date('2026-11-24T10:00:00+08:00') });
    const fact = await s.models.facts.findById(c._id).lean<any>();
    assert.deepEqual([fact.tier, fact.status, fact.version, fact.timeline], [2, 'escalated', 1, undefined]);
  });
});
