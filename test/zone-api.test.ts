import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { usccCheckCharacter } from '../forms/uscc.ts';
import { CaseService } from '../processes/cases/service.ts';
import { orgModels } from '../processes/org/models.ts';
import { RecordService } from '../processes/records/service.ts';
import { createZoneFeature } from '../processes/zone-feature.ts';
import { DEMO_PASSWORD, DEMO_WORKER } from '../web/identity/bootstrap.ts';
import { ANONYMOUS, basic, startSecureApp, type Caller, type SecureApp } from './helpers/secure-app.ts';

const uscc = (body17: string) => body17 + usccCheckCharacter(body17)!;
const E3A = uscc('91330113MA2B30001');
const E3B = uscc('91330113MA2B30002');
const E5 = uscc('91330113MA2B50001');
const BAD = '91330113MA2B3000X'; // wrong check character
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('zone: /api (cases, organisation, import, records)', function () {
  this.timeout(60_000);
  let app: SecureApp;
  const as: Record<string, Caller> = {};
  const numbers: Record<string, string> = {};

  before(async () => {
    app = await startSecureApp('zone_api', { features: [createZoneFeature({ seed: false })] });
    for (const u of ['admin', 'committee', 'leader', 'cadre', 'mentor', 'officer']) as[u] = basic(u, DEMO_PASSWORD);
    as.worker = basic(DEMO_WORKER.clientId, DEMO_WORKER.secret);
    as.cadre5 = await app.user('cadre5', ['cadre'], ['grid-5']);
    const org = orgModels(app.db.connection);
    await org.grids.insertMany([1, 2, 3, 4, 5, 6].map((n) => ({ _id: String(n), name: `第${n}网格` })));
    await org.enterprises.insertMany([
      { _id: E3A, name: '杭州东湖精密机械有限公司', industry: 'smart-manufacturing', gridId: '3' },
      { _id: E3B, name: '杭州临平家纺有限公司', industry: 'home-textiles', gridId: '3' },
      { _id: E5, name: '杭州星桥生物医药有限公司', industry: 'biomedicine', gridId: '5' },
    ]);
    await org.mentors.create({ _id: 'M01', name: '周建华', username: 'mentor' });
    await org.cadres.insertMany([
      { _id: 'C0001', name: '王建国', cohort: 'old', unit: 'zone-agency', gridId: '3', roles: ['leader'], username: 'leader' },
      { _id: 'C0002', name: '李晓燕', cohort: 'young', unit: 'donghu', gridId: '3', roles: ['member'], username: 'cadre', mentorId: 'M01' },
      { _id: 'C0003', name: '陈思远', cohort: 'middle', unit: 'seconded', department: 'tax', gridId: '5', roles: ['member'] },
    ]);
    const cases = new CaseService(app.db.connection, () => app.clock.now());
    const at = (iso: string) => ({ at: new Date(iso) });
    const open = async (key: string, enterprise: string, category: string, iso: string) => {
      numbers[key] = (await cases.open({ enterprise, category, title: `${key} 诉求`, filedBy: 'cadre' }, at(iso)))._id;
    };
    await open('late', E3A, 'safety', '2026-10-12T10:00:00+08:00');
    await cases.setDeadline(numbers.late, { slaDays: 5 }, at('2026-10-12T10:05:00+08:00'));
    await cases.apply(numbers.late, 'accepted', { handler: 'cadre' }, at('2026-10-12T11:00:00+08:00'));
    await open('referred', E3B, 'tax', '2026-10-20T10:00:00+08:00');
    await cases.apply(numbers.referred, 'escalated', { reason: '需部门办理', handler: 'dept-market' }, at('2026-10-21T10:00:00+08:00'));
    await open('grid5', E5, 'safety', '2026-10-15T10:00:00+08:00');
    await cases.apply(numbers.grid5, 'closed', {}, at('2026-10-19T10:00:00+08:00'));
    await open('september', E3A, 'policy', '2026-09-10T10:00:00+08:00');
    await cases.apply(numbers.september, 'closed', {}, at('2026-09-14T10:00:00+08:00'));
    await new RecordService(app.db.connection).write('case-handled', { cadreId: 'C0002', caseNumber: numbers.september });
    await new RecordService(app.db.connection).write('mentor-score', { cadreId: 'C0002', scores: { communication: 3, judgement: 4, coordination: 3, discovery: 4, depth: 2 }, mentorId: 'M01' });
  });
  after(() => app.close());

  const list = async (who: string, query = '') => {
    const r = await app.call(as[who]!, 'GET', `/api/cases${query}`);
    assert.equal(r.status, 200, r.text);
    return r.json as { items: any[]; page: { totalItems: number } };
  };
  const nums = (r: { items: any[] }) => r.items.map((i) => i.number).sort();
  /** A binary upload (the app's call() sends strings and JSON). */
  const upload = async (who: string, path: string, body: Buffer, type: string) => {
    const res = await fetch(`${app.base}${path}`, { method: 'POST', headers: { ...as[who]!.headers, 'content-type': type }, body: new Uint8Array(body) });
    const text = await res.text();
    return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
  };

  it('lists cases with filters: grid, category, tier, status, overdue, enterprise, date range', async () => {
    assert.equal((await list('admin')).page.totalItems, 4);
    assert.deepEqual(nums(await list('admin', '?gridId=5')), [numbers.grid5]);
    assert.deepEqual(nums(await list('admin', '?category=safety')), [numbers.late, numbers.grid5].sort());
    assert.deepEqual(nums(await list('admin', '?tier=2')), [numbers.referred]);
    assert.deepEqual(nums(await list('admin', '?status=closed')), [numbers.grid5, numbers.september].sort());
    assert.deepEqual(nums(await list('admin', '?status=open')), [numbers.late, numbers.referred].sort());
    assert.deepEqual(nums(await list('admin', '?overdue=true')), [numbers.late]);
    assert.deepEqual(nums(await list('admin', '?overdue=false')), [numbers.referred, numbers.grid5, numbers.september].sort());
    assert.deepEqual(nums(await list('admin', `?enterprise=${E3A}`)), [numbers.late, numbers.september].sort());
    assert.deepEqual(nums(await list('admin', '?from=2026-10-01&to=2026-10-16')), [numbers.late, numbers.grid5].sort());
    const late = (await list('admin', '?overdue=true')).items[0];
    assert.deepEqual([late.overdue, late.categoryLabel, late.statusLabel, late.enterprise.name], [true, '安全生产', '已受理', '杭州东湖精密机械有限公司']);
  });

  it('pages and sorts', async () => {
    const first = await list('admin', '?pageSize=3&sort=filedAt');
    const second = await list('admin', '?pageSize=3&page=2&sort=filedAt');
    assert.deepEqual(first.items.map((i) => i.number), [numbers.september, numbers.late, numbers.grid5]);
    assert.deepEqual(second.items.map((i) => i.number), [numbers.referred]);
    assert.equal(second.page.totalItems, 4);
    assert.deepEqual((await list('admin', '?sort=-filedAt&pageSize=1')).items.map((i) => i.number), [numbers.referred]);
  });

  it('refuses bad queries with a problem naming the parameter', async () => {
    for (const [q, field] of [['?tier=4', 'query/tier'], ['?pageSize=500', 'query/pageSize'], ['?from=yesterday', 'query/from'], ['?sort=title', 'query/sort'], ['?colour=red', 'query/colour']]) {
      const r = await app.call(as.admin!, 'GET', `/api/cases${q}`);
      assert.equal(r.status, 400, q);
      assert.match(r.type, /problem\+json/);
      assert.ok(r.json.detail.startsWith(field), r.json.detail);
    }
  });

  it('scopes by grid: a grid-3 cadre never sees grid 5\'s cases; a department sees what was referred to it', async () => {
    assert.deepEqual(nums(await list('cadre')), [numbers.late, numbers.referred, numbers.september].sort());
    assert.deepEqual(nums(await list('cadre', '?gridId=5')), [], 'a filter never widens the view');
    assert.deepEqual(nums(await list('cadre5')), [numbers.grid5]);
    assert.deepEqual(nums(await list('officer')), [numbers.referred]);
    assert.deepEqual(nums(await list('mentor')), []);
    assert.equal((await list('committee')).page.totalItems, 4);
    assert.equal((await app.call(as.cadre!, 'GET', `/api/cases/${numbers.grid5}`)).status, 403);
    const mine = await app.call(as.cadre!, 'GET', `/api/cases/${numbers.referred}`);
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.json.timeline.map((t: any) => [t.event, t.tier]), [['filed', 1], ['escalated', 2]]);
    assert.equal(mine.json.timeline[1].reason, '需部门办理');
    assert.equal((await app.call(as.admin!, 'GET', '/api/cases/SQ-202601-9999')).status, 404);
    assert.equal((await app.call(as.admin!, 'GET', '/api/cases/not-a-case')).status, 400);
  });

  it('answers each caller as the access rows say', async () => {
    const callers = ['anonymous', 'admin', 'committee', 'leader', 'cadre', 'mentor', 'officer', 'worker'] as const;
    // Expected status per caller, in the order above.
    const rows: Array<[method: string, path: string, expected: number[]]> = [
      ['GET', '/api/cases', [401, 200, 200, 200, 200, 200, 200, 403]],
      ['GET', `/api/cases/${numbers.late}`, [401, 200, 200, 200, 200, 403, 403, 403]],
      ['GET', '/api/org/grids', [401, 200, 200, 200, 200, 200, 200, 403]],
      ['GET', '/api/org/cadres', [401, 200, 200, 200, 200, 200, 200, 403]],
      ['GET', '/api/org/mentors', [401, 200, 200, 200, 200, 200, 200, 403]],
      ['GET', '/api/org/departments', [401, 200, 200, 200, 200, 200, 200, 403]],
      ['GET', '/api/org/enterprises', [401, 200, 200, 200, 200, 200, 200, 403]],
      ['GET', '/api/cadres/C0002/record', [401, 200, 200, 200, 200, 200, 403, 403]],
      ['GET', '/api/analytics/summary', [401, 200, 200, 200, 200, 403, 403, 403]],
      ['GET', '/api/analytics/monthly?month=2026-10', [401, 200, 200, 200, 200, 403, 403, 403]],
      ['POST', '/api/org/import/cadres?dryRun=true', [401, 200, 403, 403, 403, 403, 403, 403]],
      ['POST', '/api/org/import/enterprises?dryRun=true', [401, 200, 403, 403, 403, 403, 403, 403]],
    ];
    const csv = { cadres: 'id,name,cohort,unit,gridId\n', enterprises: 'uscc,name,industry,gridId\n' };
    for (const [method, path, expected] of rows) {
      const got: number[] = [];
      for (const who of callers) {
        const caller = who === 'anonymous' ? ANONYMOUS : as[who]!;
        const body = method === 'POST' ? (path.includes('cadres') ? csv.cadres : csv.enterprises) : undefined;
        const r = await app.call(caller, method, path, body, body ? { headers: { 'content-type': 'text/csv' } } : {});
        if (r.status >= 400) assert.match(r.type, /problem\+json/, `${method} ${path} as ${who}`);
        got.push(r.status);
      }
      assert.deepEqual(got, expected, `${method} ${path}`);
    }
    const r = await app.call(as.officer!, 'POST', '/api/org/import/enterprises', 'uscc,name,industry,gridId\n', { headers: { 'content-type': 'text/csv' } });
    assert.match(r.json.detail, /org\.manage/);
  });

  it('searches cases by title, enterprise name or number', async () => {
    assert.deepEqual(nums(await list('admin', `?q=${encodeURIComponent('星桥')}`)), [numbers.grid5]);
    assert.deepEqual(nums(await list('admin', `?q=${numbers.late.toLowerCase()}`)), [numbers.late]);
    assert.deepEqual(nums(await list('cadre', `?q=${encodeURIComponent('星桥')}`)), []);
  });

  it('lists the organisation, paged and searchable; enterprises within the caller\'s grids', async () => {
    const grids = await app.call(as.cadre!, 'GET', '/api/org/grids');
    assert.deepEqual(grids.json.items.map((g: any) => [g.id, g.enterprises]).slice(2, 5), [['3', 2], ['4', 0], ['5', 1]]);
    const cadres = await app.call(as.cadre!, 'GET', '/api/org/cadres?q=%E6%99%93&pageSize=1');
    assert.deepEqual([cadres.json.items.map((c: any) => c.name), cadres.json.page.totalItems], [['李晓燕'], 1]);
    assert.equal((await app.call(as.cadre!, 'GET', '/api/org/cadres?gridId=5')).json.items[0].id, 'C0003');
    assert.deepEqual((await app.call(as.cadre!, 'GET', '/api/org/enterprises')).json.items.map((e: any) => e.uscc).sort(), [E3A, E3B].sort());
    assert.deepEqual((await app.call(as.cadre!, 'GET', '/api/org/enterprises?gridId=5')).json.items, []);
    assert.equal((await app.call(as.admin!, 'GET', '/api/org/enterprises')).json.page.totalItems, 3);
    assert.deepEqual((await app.call(as.admin!, 'GET', `/api/org/enterprises?q=${encodeURIComponent('生物')}`)).json.items.map((e: any) => e.uscc), [E5]);
    assert.equal((await app.call(as.admin!, 'GET', '/api/org/departments')).status, 200);
    assert.equal((await app.call(as.admin!, 'GET', '/api/org/mentors?q=%E5%91%A8')).json.items[0].id, 'M01');
  });

  it('imports enterprises from CSV: good rows written, bad rows reported with row, field and reason', async () => {
    const csv = [
      '统一社会信用代码,企业名称,产业,网格,地址,联系人,联系电话',
      `${uscc('91330113MA2C00001')},杭州新增智造有限公司,智能制造,3,临平大道1号,张三,13800000001`,
      `${BAD},坏码企业,智能制造,3,,,`,
      `${uscc('91330113MA2C00002')},,生物医药,3,,,`,
      `${uscc('91330113MA2C00003')},未知产业公司,造船,3,,,`,
      `${uscc('91330113MA2C00004')},错网格公司,家纺布艺,9,,,`,
      '',
      `${E3A},杭州东湖精密机械股份有限公司,smart-manufacturing,3,,,0571-86000000`,
      `${uscc('91330113MA2C00001')},重复行,智能制造,3,,,`,
      `${uscc('91330113MA2C00005')},电话错公司,绿色能源,4,,,12345`,
    ].join('\n');
    const r = await app.call(as.admin!, 'POST', '/api/org/import/enterprises', csv, { headers: { 'content-type': 'text/csv; charset=utf-8' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual({ rows: r.json.rows, accepted: r.json.accepted, created: r.json.created, updated: r.json.updated }, { rows: 8, accepted: 2, created: 1, updated: 1 });
    assert.deepEqual(r.json.rejected.map((x: any) => [x.row, x.field]), [[3, 'uscc'], [4, 'name'], [5, 'industry'], [6, 'gridId'], [9, 'uscc'], [10, 'contactPhone']]);
    assert.match(r.json.rejected[0].reason, /not a valid unified social credit code/);
    assert.match(r.json.rejected[4].reason, /same code as row 2/);
    const org = orgModels(app.db.connection);
    const renamed = await org.enterprises.findById(E3A).lean<any>();
    assert.deepEqual([renamed.name, renamed.contact.phone, renamed.contact.name, renamed.industry], ['杭州东湖精密机械股份有限公司', '057186000000', '', 'smart-manufacturing']);
    const added = await org.enterprises.findById(uscc('91330113MA2C00001')).lean<any>();
    assert.deepEqual([added.contact, added.address, added.gridId], [{ name: '张三', phone: '13800000001' }, '临平大道1号', '3']);
    assert.equal(await org.enterprises.countDocuments({}), 4);
    assert.equal(await org.enterprises.countDocuments({ _id: BAD }), 0);
  });

  it('imports cadres from an Excel workbook, with a dry run that writes nothing', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('干部');
    ws.addRow(['编号', '姓名', '老中青', '单位', '部门', '网格', '角色', '导师']);
    ws.addRow(['C0100', '赵一鸣', '青', '东湖街道', '', 3, '网格员', 'M01']);
    ws.addRow(['C0101', '钱二', '中', '下沉职能部门', '税务', 5, '副组长', '']);
    ws.addRow(['C0102', '孙三', '少', '经开区机关', '', 3, '', '']);
    ws.addRow(['C0103', '', '老', '经开区机关', '', 3, '', '']);
    ws.addRow(['C0104', '李四', '老', '火星', '', 3, '', '']);
    ws.addRow(['C0105', '周五', '老', '经开区机关', '', 3, '队长', '']);
    ws.addRow(['C0106', '吴六', '青', '东湖街道', '', 3, '', 'M99']);
    const body = Buffer.from(await wb.xlsx.writeBuffer());
    const dry = await upload('admin', '/api/org/import/cadres?dryRun=true', body, XLSX);
    assert.equal(dry.status, 200, dry.text);
    assert.deepEqual([dry.json.accepted, dry.json.created, dry.json.dryRun], [2, 0, true]);
    assert.equal(await orgModels(app.db.connection).cadres.countDocuments({ _id: 'C0100' }), 0);
    const r = await upload('admin', '/api/org/import/cadres', body, XLSX);
    assert.deepEqual([r.json.accepted, r.json.created], [2, 2]);
    assert.deepEqual(r.json.rejected.map((x: any) => [x.row, x.field]), [[4, 'cohort'], [5, 'name'], [6, 'unit'], [7, 'roles'], [8, 'mentorId']]);
    const c = await orgModels(app.db.connection).cadres.findById('C0101').lean<any>();
    assert.deepEqual([c.cohort, c.unit, c.department, c.gridId, c.roles], ['middle', 'seconded', 'tax', '5', ['deputy']]);
    const fresh = await orgModels(app.db.connection).cadres.findById('C0100').lean<any>();
    assert.deepEqual([fresh.roles, fresh.mentorId, fresh.username, fresh.department], [['member'], 'M01', null, null]);
    // Updating from a sheet without some columns, or with blank cells, keeps what is stored.
    const partial = await upload('admin', '/api/org/import/cadres', Buffer.from('id,name,cohort,unit,gridId,roles\nC0002,李晓燕,青,东湖街道,3,\n'), 'text/csv');
    assert.deepEqual([partial.json.updated, partial.json.rejected], [1, []]);
    const kept = await orgModels(app.db.connection).cadres.findById('C0002').lean<any>();
    assert.deepEqual([kept.username, kept.mentorId, kept.roles], ['cadre', 'M01', ['member']]);
  });

  it('refuses files it cannot read, naming what is wrong', async () => {
    const bad = async (body: string | Buffer, type: string) => upload('admin', '/api/org/import/enterprises', Buffer.from(body), type);
    assert.equal((await bad('{}', 'application/json')).status, 415);
    assert.match((await bad('name,industry\nx,y', 'text/csv')).json.detail, /lacks the column\(s\) uscc/);
    assert.match((await bad(Buffer.from('PK\u0003\u0004 not really a zip'), XLSX)).json.detail, /Excel file could not be read/);
    assert.equal((await bad('', 'text/csv')).status, 400);
    assert.match((await bad('"unclosed,quote\n', 'text/csv')).json.detail, /CSV could not be read/);
    assert.match((await bad(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'application/vnd.ms-excel')).json.detail, /\.xls\) are not read/);
    const windows = await bad(`uscc,name,industry,gridId\n${uscc('91330113MA2C00009')},视窗上传公司,其他,2\n`, 'application/vnd.ms-excel');
    assert.deepEqual([windows.status, windows.json.accepted], [200, 1], 'a CSV labelled as Excel by the browser');
  });

  it('shows a cadre record to the cadre, their leader and mentors, not to others', async () => {
    const mine = await app.call(as.cadre!, 'GET', '/api/cadres/C0002/record');
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.json.abilities.latest, { communication: 3, judgement: 4, coordination: 3, discovery: 4, depth: 2 });
    assert.equal(mine.json.cadre.name, '李晓燕');
    assert.deepEqual(mine.json.casesHandled.map((e: any) => [e.caseNumber, e.case.title, e.case.status]), [[numbers.september, 'september 诉求', 'closed']]);
    assert.equal((await app.call(as.leader!, 'GET', '/api/cadres/C0002/record')).status, 200);
    assert.equal((await app.call(as.mentor!, 'GET', '/api/cadres/C0002/record')).status, 200);
    assert.equal((await app.call(as.committee!, 'GET', '/api/cadres/C0003/record')).status, 200);
    assert.equal((await app.call(as.cadre!, 'GET', '/api/cadres/C0001/record')).status, 403);
    assert.equal((await app.call(as.leader!, 'GET', '/api/cadres/C0003/record')).status, 403);
    assert.equal((await app.call(as.officer!, 'GET', '/api/cadres/C0002/record')).status, 403);
    assert.equal((await app.call(as.admin!, 'GET', '/api/cadres/C9999/record')).status, 404);
  });
});
