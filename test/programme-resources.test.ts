// The shipped programmes: every diagram lints clean for Camunda 8.8 (bpmnlint's recommended rules
// and the Camunda compatibility rules the modeler runs), has tidy diagram interchange, deploys on
// the embedded runtime with its forms; every form compiles, takes a valid submission and refuses
// an invalid one with a field error; the feature deploys only what is new or changed.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { checkFormSchema, compileForm, validateSubmission } from '../forms/index.ts';
import { usccCheckCharacter } from '../forms/uscc.ts';
import { newModdle } from '../processes/diagrams/layout.ts';
import { registerZoneHandlers } from '../processes/handlers/index.ts';
import { deployShipped, DIAGRAMS_SHIPPED, shippedResources, type ShippedResource } from '../processes/diagrams/ship.ts';
import { testRuntime } from './helpers/runtime.ts';

const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

interface Box { x: number; y: number; width: number; height: number }
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const uscc = (first17: string) => first17 + usccCheckCharacter(first17)!;
const inside = (a: Box, b: Box) => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;

describe('programmes: shipped diagrams and forms', () => {
  let resources: ShippedResource[];
  const diagrams = () => resources.filter((r) => r.kind === 'process');
  const forms = () => resources.filter((r) => r.kind === 'form');
  before(async () => { resources = await shippedResources(); });

  it('ships the five programmes (and the two processes they call per participant and grid) and a form for every user task and start form', async () => {
    assert.deepEqual(diagrams().map((d) => d.id), [...DIAGRAMS_SHIPPED]);
    const formIds = new Set(forms().map((f) => f.id));
    const used = new Set<string>();
    for (const d of diagrams()) for (const [, id] of d.content.matchAll(/formId="([^"]+)"/g)) used.add(id!);
    for (const id of used) assert.ok(formIds.has(id), `form ${id} is shipped`);
    for (const id of formIds) assert.ok(used.has(id), `form ${id} is used`);
    for (const d of diagrams()) {
      const userTasks = [...d.content.matchAll(/<bpmn:userTask id="([^"]+)"[^>]*>([\s\S]*?)<\/bpmn:userTask>/g)];
      assert.ok(userTasks.length > 0);
      for (const [, id, body] of userTasks) assert.match(body!, /zeebe:formDefinition formId=/, `${d.id}/${id} has a form`);
    }
  });

  it('lints clean with bpmnlint recommended and camunda-compat for Camunda 8.8', async () => {
    const linter = new Linter({ config: { extends: ['bpmnlint:recommended', 'plugin:camunda-compat/camunda-cloud-8-8'] }, resolver: new NodeResolver() });
    for (const d of diagrams()) {
      assert.match(d.content, /modeler:executionPlatformVersion="8\.8\.0"/);
      const { rootElement } = await newModdle().fromXML(d.content);
      const results = await linter.lint(rootElement) as Record<string, Array<{ id: string; message: string }>>;
      const problems = Object.entries(results).flatMap(([rule, rs]) => rs.map((r) => `${rule}: ${r.id} ${r.message}`));
      assert.deepEqual(problems, [], d.id);
    }
  });

  it('every element is named in Chinese and has diagram interchange; no shapes overlap', async () => {
    for (const d of diagrams()) {
      const { rootElement, elementsById } = await newModdle().fromXML(d.content);
      const process = rootElement.rootElements.find((e: any) => e.$type === 'bpmn:Process');
      assert.match(process.name, /\p{Script=Han}/u);
      const shapes = new Map<string, Box>();
      const edges = new Map<string, number>();
      for (const pe of rootElement.diagrams[0].plane.planeElement) {
        if (pe.$type === 'bpmndi:BPMNShape') shapes.set(pe.bpmnElement.id, pe.bounds);
        else edges.set(pe.bpmnElement.id, pe.waypoint.length);
      }
      const check = (container: any) => {
        const els: any[] = container.flowElements ?? [];
        const nodes = els.filter((e) => e.$type !== 'bpmn:SequenceFlow');
        for (const e of els) {
          if (e.$type === 'bpmn:SequenceFlow') { assert.ok((edges.get(e.id) ?? 0) >= 2, `${d.id}: flow ${e.id} has an edge`); continue; }
          assert.match(e.name ?? '', /\p{Script=Han}/u, `${d.id}: ${e.id} has a Chinese name`);
          assert.ok(shapes.has(e.id), `${d.id}: ${e.id} has a shape`);
          if (container !== process) assert.ok(inside(shapes.get(e.id)!, shapes.get(container.id)!), `${d.id}: ${e.id} lies inside ${container.id}`);
        }
        for (const b of nodes.filter((n) => n.$type === 'bpmn:BoundaryEvent')) {
          assert.ok(overlaps(shapes.get(b.id)!, shapes.get(b.attachedToRef.id)!), `${d.id}: ${b.id} sits on its host`);
        }
        const placed = nodes.filter((n) => n.$type !== 'bpmn:BoundaryEvent');
        for (let i = 0; i < placed.length; i++) {
          for (let j = i + 1; j < placed.length; j++) {
            assert.ok(!overlaps(shapes.get(placed[i].id)!, shapes.get(placed[j].id)!), `${d.id}: ${placed[i].id} and ${placed[j].id} overlap`);
          }
        }
        for (const n of nodes) if (n.$type === 'bpmn:SubProcess') check(n);
      };
      check(process);
      assert.ok(Object.keys(elementsById).length > 0);
    }
  });

  it('every form passes the schema check and compiles', () => {
    for (const f of forms()) {
      const schema = JSON.parse(f.content);
      assert.deepEqual(checkFormSchema(schema), [], f.name);
      assert.equal(schema.schemaVersion, 19);
      assert.ok(compileForm(schema, {}).fields.length > 0, f.name);
    }
  });

  const formOf = (id: string) => JSON.parse(forms().find((f) => f.id === id)!.content);
  const errorsOf = (id: string, submission: object, vars: object = {}) => {
    const r = validateSubmission(formOf(id), submission, vars, { locale: 'zh' });
    return r.ok ? [] : r.errors.map((e) => `${e.path}:${e.code}`);
  };

  it('forms take valid submissions and refuse invalid ones with a field error', () => {
    const enterprise = uscc('91330110MA2KXY712');
    const good = {
      enterprise, enterpriseName: '杭州临平示例智能制造有限公司', gridId: '3', filedBy: 'cadre',
      visitDate: '2026-11-20', channel: '现场', policies: ['安全生产'], handbookPacks: 2,
      demands: [{ title: '厂房扩建用地指标', category: 'land', urgency: 'urgent', description: '' }],
    };
    assert.deepEqual(errorsOf('visit-record', good), []);
    const wrongCheck = enterprise.slice(0, 17) + (enterprise.endsWith('0') ? '1' : '0');
    assert.deepEqual(errorsOf('visit-record', { ...good, enterprise: wrongCheck }), ['enterprise:USCC']);
    assert.deepEqual(errorsOf('visit-record', { ...good, contactPhone: '12345' }), ['contactPhone:CN_MOBILE']);
    assert.deepEqual(errorsOf('visit-record', { ...good, channel: '微信' }), ['channel:NOT_AN_OPTION']);

    assert.deepEqual(errorsOf('case-handle-zone', { decision: 'escalate', targetDept: 'dept-market', reason: '需市场监管局现场核查' }), []);
    assert.deepEqual(errorsOf('case-handle-zone', { decision: 'escalate', targetDept: 'dept-market' }), ['reason:REQUIRED']);
    assert.deepEqual(errorsOf('case-handle-zone', { decision: 'escalate', reason: '需区级部门协调办理' }), ['targetDept:REQUIRED']);
    assert.deepEqual(errorsOf('case-handle-zone', { decision: 'resolve', resolution: '已协调解决用地指标' }), []);
    assert.deepEqual(errorsOf('case-handle-grid', { decision: 'return', reason: '网格无法退回更低层级' }), ['decision:NOT_AN_OPTION']);
    assert.deepEqual(errorsOf('case-followup', { followUpDate: '2026-11-25', followUpChannel: '电话', rating: '不满意' }), ['ratingComment:REQUIRED']);
    assert.deepEqual(errorsOf('case-review', { reviewResult: 'reject' }), ['reviewComment:REQUIRED']);

    const scores = { communication: 4, judgement: 5, coordination: 3, discovery: 4, depth: 2 };
    assert.deepEqual(errorsOf('rotation-score', { scores, mentorComment: '表现积极，善于沟通' }), []);
    assert.deepEqual(errorsOf('rotation-score', { scores: { ...scores, depth: 6 }, mentorComment: '表现积极，善于沟通' }), ['scores.depth:MAX']);
    assert.deepEqual(errorsOf('rotation-score', { scores: { ...scores, judgement: 0 }, mentorComment: '表现积极，善于沟通' }), ['scores.judgement:MIN']);
    assert.deepEqual(errorsOf('challenge-approval', { approval: 'approve', challengeId: 'JB-26-1', applicationDays: 10, maxTeams: 3 }), ['challengeId:PATTERN']);
    assert.deepEqual(errorsOf('challenge-select', { selection: 'select', selectedTeam: '无此团队' }, { applications: [{ teamName: '攻坚一队' }] }), ['selectedTeam:NOT_AN_OPTION']);
    assert.deepEqual(errorsOf('challenge-acceptance', { verdict: 'extend', acceptanceComment: '成果尚需完善' }), ['extensionDays:REQUIRED']);
    assert.deepEqual(errorsOf('rotation-plan', { programmeType: '一周员工', cohortName: '2026 年第四批', gridId: '1', startDate: '2026-11-30', endDate: '2026-12-04', participants: [{ cadreId: 'C0001', name: '张三' }] }), []);
    assert.deepEqual(errorsOf('rotation-plan', { programmeType: '一周员工', cohortName: '2026 年第四批', gridId: '1', startDate: '2026-11-31', endDate: '2026-12-04', participants: [{ cadreId: 'C0001', name: '张三' }] }), ['startDate:DATE_FORMAT']);
  });

  describe('deployment', () => {
    let rt: Awaited<ReturnType<typeof testRuntime>>['runtime'];
    before(async () => {
      const t = await testRuntime('programme_resources');
      rt = t.runtime;
      // The zone's handlers serve every job type the diagrams use: no deployment warning.
      registerZoneHandlers(rt, t.db.connection, t.clock.now);
    });
    after(() => rt.stop());

    it('deploys every diagram and form on the embedded runtime; unchanged resources are not deployed again', async () => {
      const first = await deployShipped(rt);
      assert.equal(first.deployed.length, resources.length);
      const items = first.deployment!.deployments;
      assert.equal(items.filter((i) => 'processDefinition' in i).length, 7);
      assert.equal(items.filter((i) => 'form' in i).length, forms().length);
      assert.deepEqual(first.deployment!.warnings ?? [], []);
      assert.deepEqual(await deployShipped(rt), { deployment: null, deployed: [] });
      const defs = await rt.searchProcessDefinitions({ filter: { processDefinitionId: 'three-tier-handling' } });
      assert.equal(defs.items.length, 1);
    });

    it('deploys a changed resource again, and only that one', async () => {
      const xml = await readFile(new URL('../processes/diagrams/grid-monthly-report.bpmn', import.meta.url), 'utf8');
      await rt.deploy([{ name: 'grid-monthly-report.bpmn', content: xml.replace('月度研判完成', '研判完成') }]);
      const again = await deployShipped(rt);
      assert.deepEqual(again.deployed, ['grid-monthly-report.bpmn']);
      const defs = await rt.searchProcessDefinitions({ filter: { processDefinitionId: 'grid-monthly-report' } });
      assert.equal(defs.items.length, 3);
    });
  });
});

