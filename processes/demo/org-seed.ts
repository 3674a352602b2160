// The demo zone (DOMAIN.md's figures), seeded by the zone feature on an empty zone in demo mode:
// 6 grids, 246 cadres (老中青, zone agency / 东湖街道 / seconded), 16 mentors, the referral
// departments, 1,600 enterprises with valid USCC codes, logins for the people the programmes'
// groups need, and half a year of case history and cadre records (history-seed.ts).
// Idempotent: a unique claim lets one process seed, and a zone with any organisation or case
// data is never touched. Everything is inserted in batches (inserts are cheap on FerretDB).
import type { Connection } from 'mongoose';
import { usccCheckCharacter, USCC_ALPHABET } from '../../forms/uscc.ts';
import type { Identity } from '../../web/identity/identity.ts';
import { DEMO_PASSWORD } from '../../web/identity/bootstrap.ts';
import type { UserRole } from '../../web/identity/store.ts';
import { caseModels } from '../cases/model.ts';
import { orgModels } from '../org/models.ts';
import { DEPARTMENTS, INDUSTRIES } from '../org/reference.ts';
import { recordModel } from '../records/model.ts';
import { seedHistory } from './history-seed.ts';
import { address, enterpriseName, mobile, personName, random, weighted } from './names.ts';

export const DEMO_FIGURES = { grids: 6, cadres: 246, mentors: 16, enterprises: 1600 } as const;

/** Groups of processes/README.md ("Candidate groups") beyond the grids. */
export const ZONE_GROUPS: ReadonlyArray<[string, string]> = [
  ['zone-center', '经开区企业服务中心 (zone service centre, tier 2)'],
  ['committee', '党工委 / 管委会 (committee)'],
  ['district', '区级领导 (district leadership, tier 3)'],
  ['mentors', '导师帮带团 (mentors)'],
  ['panel', '专家评审组 (expert panel)'],
  ['org-office', '组织办 (organisation office)'],
  ...DEPARTMENTS.map((d): [string, string] => [`dept-${d.code}`, `${d.zh} (${d.en})`]),
];

/** Demo logins the seed adds beside those of web/identity/bootstrap.ts (password `gridflow-demo`). */
export const ZONE_DEMO_USERS: ReadonlyArray<{ username: string; displayName: string; role: UserRole; groups: string[] }> = [
  ...[1, 2, 4, 5, 6].map((n) => ({ username: `leader${n}`, displayName: `第${n}网格组长 (grid ${n} leader)`, role: 'grid-leader' as UserRole, groups: [`grid-${n}`] })),
  ...[1, 2, 4, 5, 6].map((n) => ({ username: `cadre${n}`, displayName: `第${n}网格干部 (grid ${n} cadre)`, role: 'cadre' as UserRole, groups: [`grid-${n}`] })),
  { username: 'cadre3b', displayName: '第3网格青年干部 (grid 3 young cadre)', role: 'cadre', groups: ['grid-3'] },
  { username: 'center', displayName: '经开区企业服务中心 (zone service centre)', role: 'cadre', groups: ['zone-center'] },
  { username: 'district', displayName: '区级联合办理 (district leadership)', role: 'department-officer', groups: ['district'] },
  { username: 'panel', displayName: '专家评审组 (expert panel)', role: 'mentor', groups: ['panel'] },
  { username: 'orgoffice', displayName: '组织办 (organisation office)', role: 'cadre', groups: ['org-office'] },
  { username: 'mentor2', displayName: '导师 (second demo mentor)', role: 'mentor', groups: ['mentors'] },
  ...DEPARTMENTS.filter((d) => d.code !== 'market').map((d) => ({ username: `officer-${d.code}`, displayName: `${d.zh} (demo department officer)`, role: 'department-officer' as UserRole, groups: [`dept-${d.code}`] })),
];

/** Groups added to bootstrap's demo logins so they can claim their programmes' tasks. */
export const DEMO_USER_GROUPS: Record<string, string[]> = { committee: ['committee'] };

export interface SeedResult { seeded: boolean; reason?: string; ms: number; counts: Record<string, number> }

const GRID_AREAS = ['临平新城片区', '东湖街道北片', '东湖街道南片', '经开区核心区', '星桥工业园', '智能制造产业园'];
const MENTOR_TITLES = ['党工委委员', '管委会副主任', '经发局局长', '招商局局长', '建设局局长', '财政局局长', '东湖街道党工委书记', '东湖街道办事处主任', '市场监管分局局长', '统计局副局长', '生态环境分局局长', '应急管理局副局长', '高级工程师', '企业服务中心主任', '组织办主任', '规划资源分局局长'];

async function isEmpty(connection: Connection): Promise<boolean> {
  const org = orgModels(connection);
  const { cases } = caseModels(connection);
  for (const m of [org.grids, org.cadres, org.mentors, org.departments, org.enterprises, cases, recordModel(connection)]) {
    if ((await m.collection.findOne({})) !== null) return false;
  }
  return true;
}

export async function seedDemoZone(connection: Connection, identity: Identity | null, now: () => number): Promise<SeedResult> {
  const started = Date.now();
  const claims = connection.db!.collection<{ _id: string; at: Date }>('zone_seed');
  if (!(await isEmpty(connection))) return { seeded: false, reason: 'the zone has data', ms: Date.now() - started, counts: {} };
  try {
    await claims.insertOne({ _id: 'demo-zone', at: new Date(now()) });
  } catch (err) {
    if ((err as { code?: unknown }).code === 11000) return { seeded: false, reason: 'seeded (or being seeded) already', ms: Date.now() - started, counts: {} };
    throw err;
  }

  const org = orgModels(connection);
  const rnd = random(20241126);
  const stamp = { createdAt: new Date(now()), updatedAt: new Date(now()) };

  await org.departments.collection.insertMany(DEPARTMENTS.map((d) => ({ _id: d.code as any, name: d.zh, group: `dept-${d.code}`, ...stamp })));

  const mentorNames = new Set<string>();
  const mentors = Array.from({ length: DEMO_FIGURES.mentors }, (_, i) => ({
    _id: `M${String(i + 1).padStart(2, '0')}`, name: personName(rnd, i < 10 ? 'old' : 'middle', mentorNames), title: MENTOR_TITLES[i]!,
    unit: i < 8 ? '经开区机关' : i < 10 ? '东湖街道' : '区级部门', username: i === 0 ? 'mentor' : i === 1 ? 'mentor2' : null, ...stamp,
  }));
  await org.mentors.collection.insertMany(mentors as any[]);

  // Cadres: 41 per grid; per grid one leader (a committee member) and two deputies (bureau heads).
  const names = new Set<string>();
  const cadres: any[] = [];
  for (let i = 0; i < DEMO_FIGURES.cadres; i += 1) {
    const gridId = String((i % 6) + 1);
    const inGrid = Math.floor(i / 6);
    const role = inGrid === 0 ? 'leader' : inGrid <= 2 ? 'deputy' : 'member';
    const cohort = role === 'leader' ? 'old' : role === 'deputy' ? 'middle' : weighted(rnd, [['old', 28], ['middle', 40], ['young', 32]] as const);
    const unit = role !== 'member' ? 'zone-agency' : weighted(rnd, [['zone-agency', 45], ['donghu', 30], ['seconded', 25]] as const);
    const birthYear = cohort === 'old' ? 1963 + Math.floor(rnd() * 10) : cohort === 'middle' ? 1975 + Math.floor(rnd() * 14) : 1990 + Math.floor(rnd() * 10);
    cadres.push({
      _id: `C${String(i + 1).padStart(4, '0')}`, name: personName(rnd, cohort, names), cohort, birthYear, unit,
      department: unit === 'seconded' ? DEPARTMENTS[Math.floor(rnd() * DEPARTMENTS.length)]!.code : unit === 'donghu' ? '东湖街道' : null,
      gridId, roles: [role], username: null, mentorId: cohort === 'young' ? mentors[Math.floor(rnd() * mentors.length)]!._id : null, ...stamp,
    });
  }
  // Logins linked to cadres: bootstrap's `leader` and `cadre` lead and work in grid 3.
  const link = (gridId: string, role: string, username: string, young = false) => {
    const c = cadres.find((x) => x.gridId === gridId && x.roles.includes(role) && x.username === null && (!young || x.cohort === 'young'));
    if (c) c.username = username;
  };
  link('3', 'leader', 'leader');
  link('3', 'member', 'cadre');
  link('3', 'member', 'cadre3b', true);
  for (const n of ['1', '2', '4', '5', '6']) { link(n, 'leader', `leader${n}`); link(n, 'member', `cadre${n}`); }
  await org.cadres.collection.insertMany(cadres);

  await org.grids.collection.insertMany([1, 2, 3, 4, 5, 6].map((n) => {
    const inGrid = cadres.filter((c) => c.gridId === String(n));
    return {
      _id: String(n) as any, name: `第${n}网格`, area: GRID_AREAS[n - 1]!, ...stamp,
      leader: inGrid.find((c) => c.roles.includes('leader'))!._id, deputies: inGrid.filter((c) => c.roles.includes('deputy')).map((c) => c._id),
    };
  }));

  const enterprises = makeEnterprises(rnd, stamp);
  for (let i = 0; i < enterprises.length; i += 400) await org.enterprises.collection.insertMany(enterprises.slice(i, i + 400));

  const history = await seedHistory(connection, { rnd, now: now(), cadres, mentors, enterprises });
  const users = identity ? await seedUsers(identity) : 0;

  const counts = { grids: 6, cadres: cadres.length, mentors: mentors.length, departments: DEPARTMENTS.length, enterprises: enterprises.length, users, ...history };
  return { seeded: true, ms: Date.now() - started, counts };
}

function makeEnterprises(rnd: () => number, stamp: Record<string, Date>): any[] {
  const codes = new Set<string>();
  const names = new Set<string>();
  const out: any[] = [];
  const industryWeights = INDUSTRIES.map((t): [string, number] => [t.code, ({ 'smart-manufacturing': 30, biomedicine: 15, 'home-textiles': 25, 'semiconductor-equipment': 8, ivd: 7, 'green-energy': 8, other: 7 } as Record<string, number>)[t.code] ?? 5]);
  while (out.length < DEMO_FIGURES.enterprises) {
    // 9 = enterprise (工商), 1 = company; 330113 = Linping district; MA… = the subject identifier.
    let body = '91330113MA';
    for (let k = 0; k < 7; k += 1) body += USCC_ALPHABET[Math.floor(rnd() * USCC_ALPHABET.length)];
    const uscc = body + usccCheckCharacter(body)!;
    if (codes.has(uscc)) continue;
    codes.add(uscc);
    const industry = weighted(rnd, industryWeights);
    const i = out.length;
    out.push({
      _id: uscc, name: enterpriseName(rnd, industry, names), industry, gridId: String((i % 6) + 1), address: address(rnd),
      contact: { name: personName(rnd, 'middle', new Set()), phone: mobile(rnd) }, ...stamp,
    });
  }
  return out;
}

async function seedUsers(identity: Identity): Promise<number> {
  const store = identity.store;
  for (const [name, displayName] of ZONE_GROUPS) await store.ensureGroup(name, displayName);
  let created = 0;
  for (const u of ZONE_DEMO_USERS) {
    try {
      await store.createUser({ username: u.username, displayName: u.displayName, password: DEMO_PASSWORD, roles: [u.role], groups: u.groups, demo: true });
      created += 1;
    } catch (err) {
      if ((err as { status?: unknown }).status !== 409) throw err;
    }
  }
  for (const [username, groups] of Object.entries(DEMO_USER_GROUPS)) {
    const u = await store.user(username, true);
    if (u && u.demo && groups.some((g) => !u.groups.includes(g))) await store.updateUser(username, { groups: [...u.groups, ...groups] });
  }
  return created;
}
