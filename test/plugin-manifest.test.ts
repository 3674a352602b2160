// The plugin contract: manifests against the published JSON Schema, Camunda 8 element templates
// against @bpmn-io/element-templates-validator, forms and paths checked; a broken plugin stops
// alone, with an error that names the file and the problem.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPlugin, manifestProblems, PluginError, resolvePluginDir, templateProblems, TEMPLATE_SCHEMA_URL } from '../plugins/host/manifest.ts';
import { PLUGINS_DIR, PluginHost } from '../plugins/host/host.ts';
import { testRuntime } from './helpers/runtime.ts';

const BUILT_IN = ['countersign', 'department-review', 'http-call', 'notification'];
const minimal = () => ({ id: 'demo', version: '1.0.0', name: { zh: '示例', en: 'Demo' }, jobTypes: [], templates: [] });

function pluginDir(manifest: Record<string, unknown>, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gridflow-manifest-'));
  writeFileSync(path.join(dir, 'plugin.json'), JSON.stringify(manifest));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
const throwsPlugin = (dir: string, message: RegExp) => assert.throws(() => loadPlugin(dir, 'test-plugin'), (err: unknown) => {
  assert.ok(err instanceof PluginError);
  assert.match(err.message, message);
  return true;
});

describe('plugin contract: manifests and templates', () => {
  it('the built-in plugins load: manifests, templates, forms and processes all valid', () => {
    const found = readdirSync(PLUGINS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory() && !['host', 'examples'].includes(d.name)).map((d) => d.name).sort();
    assert.deepEqual(found, BUILT_IN);
    const ids = new Set<string>();
    for (const name of BUILT_IN) {
      const p = loadPlugin(path.join(PLUGINS_DIR, name), `plugins/${name}`);
      assert.equal(p.manifest.id, name);
      assert.ok(p.manifest.name.zh && p.manifest.name.en);
      assert.ok(p.templates.length > 0, `${name} has templates`);
      for (const t of p.templates) {
        assert.equal(t.$schema, TEMPLATE_SCHEMA_URL);
        assert.deepEqual(templateProblems(t), []);
        assert.ok(!ids.has(String(t.id)), `template id ${String(t.id)} is unique`);
        ids.add(String(t.id));
      }
      for (const proc of p.processes) {
        assert.match(proc.content, /<bpmndi:BPMNDiagram/, `${proc.name} has diagram interchange`);
        assert.match(proc.content, /modeler:executionPlatform="Camunda Cloud"/);
      }
      if (p.manifest.settings) assert.deepEqual(p.checkSettings(p.manifest.settings.defaults ?? {}), []);
    }
  });

  it('each job type a template names is served by its plugin', () => {
    for (const name of BUILT_IN) {
      const p = loadPlugin(path.join(PLUGINS_DIR, name));
      const served = new Set(p.manifest.jobTypes.map((j) => j.type));
      for (const t of p.templates) {
        for (const prop of t.properties as Array<{ value?: string; binding: { type: string; property?: string } }>) {
          if (prop.binding.type === 'zeebe:taskDefinition' && prop.binding.property === 'type') assert.ok(served.has(prop.value!), `${String(t.id)} → ${prop.value}`);
        }
      }
    }
  });

  it('the manifest schema names what is wrong', () => {
    assert.deepEqual(manifestProblems(minimal()), []);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...minimal(), id: 'Not Valid' }, /plugin\.json\/id must match pattern/],
      [{ ...minimal(), version: '1.0' }, /plugin\.json\/version must match pattern/],
      [{ ...minimal(), name: { zh: '示例' } }, /plugin\.json\/name must have required property 'en'/],
      [{ ...minimal(), surprise: true }, /must NOT have additional properties \('surprise'\)/],
      [{ ...minimal(), jobTypes: [{ type: 'x', handler: '../outside.mjs' }] }, /jobTypes\/0\/handler must match pattern/],
      [{ ...minimal(), jobTypes: [{ type: 'x', handler: 'h.py' }] }, /jobTypes\/0\/handler must match pattern/],
      [{ ...minimal(), jobTypes: [{ type: 'x', handler: 'h.mjs', timeoutMs: 10 }] }, /jobTypes\/0\/timeoutMs must be >= 100/],
      [{ ...minimal(), secrets: ['lower'] }, /secrets\/0 must match pattern/],
    ];
    for (const [m, message] of cases) assert.match(manifestProblems(m).join('; '), message);
  });

  it('a template that is not a valid Camunda 8 element template is refused, naming it', () => {
    const template = JSON.parse(readFileSync(path.join(PLUGINS_DIR, 'http-call/templates/http-call.json'), 'utf8'));
    assert.match(templateProblems({ ...template, $schema: 'https://unpkg.com/@camunda/element-templates-json-schema/resources/schema.json' }).join(), /must be 'https:\/\/unpkg\.com\/@camunda\/zeebe-element-templates-json-schema/);
    const noBinding = { ...template, properties: [{ label: 'x', type: 'String' }] };
    assert.ok(templateProblems(noBinding).some((p) => p.startsWith("template 'gridflow.http-call'")));
    const dir = pluginDir({ ...minimal(), templates: ['t.json'] }, { 't.json': JSON.stringify({ ...template, name: undefined }) });
    throwsPlugin(dir, /template t\.json 'gridflow\.http-call'.*missing template name/);
  });

  it('broken files stop the plugin with a clear error', () => {
    throwsPlugin(pluginDir({ ...minimal() }, {}).replace(/$/, '/nope'), /manifest '.*plugin\.json' cannot be read/);
    const notJson = mkdtempSync(path.join(tmpdir(), 'gridflow-manifest-'));
    writeFileSync(path.join(notJson, 'plugin.json'), '{ "id": ');
    throwsPlugin(notJson, /is not valid JSON/);
    throwsPlugin(pluginDir({ ...minimal(), jobTypes: [{ type: 'x', handler: 'missing.mjs' }] }), /handler of job type 'x' 'missing\.mjs' does not exist/);
    throwsPlugin(pluginDir({ ...minimal(), jobTypes: [{ type: 'x', handler: 'h.mjs' }, { type: 'x', handler: 'h.mjs' }] }, { 'h.mjs': '' }), /job type 'x' is declared twice/);
    throwsPlugin(pluginDir({ ...minimal(), forms: ['f.form'] }, { 'f.form': JSON.stringify({ id: 'f', type: 'default', components: [{ id: 'a', type: 'textfield' }] }) }), /form f\.form: a/);
    throwsPlugin(pluginDir({ ...minimal(), settings: { schema: { type: 'object', properties: { n: { type: 'integer' } } }, defaults: { n: 'x' } } }), /default settings do not satisfy the settings schema: settings\/n must be integer/);
    throwsPlugin(pluginDir({ ...minimal(), settings: { schema: { type: 'nonsense' } } }), /settings schema does not compile/);
  });

  it('a plugin may be an installed npm package named in configuration', () => {
    const project = mkdtempSync(path.join(tmpdir(), 'gridflow-project-'));
    const pkg = path.join(project, 'node_modules', '@zone', 'gridflow-plugin-tax');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: '@zone/gridflow-plugin-tax', version: '1.0.0', type: 'module' }));
    writeFileSync(path.join(pkg, 'plugin.json'), JSON.stringify({ ...minimal(), id: 'tax' }));
    const dir = resolvePluginDir('@zone/gridflow-plugin-tax', project);
    assert.equal(loadPlugin(dir, '@zone/gridflow-plugin-tax').manifest.id, 'tax');
    assert.equal(resolvePluginDir('./local', project), path.join(project, 'local'));
  });

  it('a broken plugin stops alone: the host starts, lists it with its error, and runs the others', async () => {
    const { runtime, db } = await testRuntime('plugin_manifest_host');
    const lines: string[] = [];
    const good = pluginDir({ ...minimal(), id: 'good', jobTypes: [{ type: 'demo.good', handler: 'h.mjs' }] }, { 'h.mjs': 'export default () => ({ ok: true });' });
    const broken = pluginDir({ ...minimal(), id: 'broken', version: 'one' });
    const twin = pluginDir({ ...minimal(), id: 'good' });
    const rival = pluginDir({ ...minimal(), id: 'rival', jobTypes: [{ type: 'demo.good', handler: 'h.mjs' }] }, { 'h.mjs': '' });
    const host = new PluginHost({ runtime, connection: db.connection, builtins: false, extra: [good, broken, twin, rival, 'gridflow-plugin-not-installed'], log: (l) => lines.push(l) });
    await host.start();
    const list = host.list();
    assert.deepEqual(list.items.map((p) => [p.id, p.status]), [['good', 'running']]);
    const errors = list.failed.map((f) => f.error).join('\n');
    assert.match(errors, /Plugin at .*: invalid manifest: plugin\.json\/version must match pattern/);
    assert.match(errors, /plugin id 'good' is already used by/);
    assert.match(errors, /job type 'demo\.good' is already served by plugin 'good'/);
    assert.match(errors, /npm package 'gridflow-plugin-not-installed' is not installed or has no plugin\.json/);
    assert.equal(lines.filter((l) => /this plugin is not loaded; the others are/.test(l)).length, 4);
    const deployment = await runtime.deploy([{ name: 'g.bpmn', content: `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t"><bpmn:process id="g" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t1"/><bpmn:serviceTask id="t1"><bpmn:extensionElements><zeebe:taskDefinition type="demo.good"/></bpmn:extensionElements></bpmn:serviceTask><bpmn:sequenceFlow id="f2" sourceRef="t1" targetRef="e"/><bpmn:endEvent id="e"/></bpmn:process></bpmn:definitions>` }]);
    assert.equal(deployment.warnings, undefined, 'the good plugin serves its job type');
    const pi = await runtime.createProcessInstance({ processDefinitionId: 'g' });
    for (let i = 0; i < 100 && (await runtime.getProcessInstance(pi.processInstanceKey)).state !== 'COMPLETED'; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal((await runtime.getProcessInstance(pi.processInstanceKey)).state, 'COMPLETED');
    await host.stop();
    await runtime.stop();
  });
});

describe('plugin host: stored settings', () => {
  it('settings that no longer fit the schema hold the plugin back until corrected', async () => {
    const { runtime, db } = await testRuntime('plugin_manifest_settings');
    const dir = pluginDir({
      ...minimal(), id: 'tuned', jobTypes: [{ type: 'demo.tuned', handler: 'h.mjs' }],
      settings: { schema: { type: 'object', required: ['level'], properties: { level: { type: 'integer' } }, additionalProperties: false }, defaults: { level: 1 } },
    }, { 'h.mjs': 'export default (job, ctx) => ({ level: ctx.settings.level });' });
    const first = new PluginHost({ runtime, connection: db.connection, builtins: false, extra: [dir], log: () => {} });
    await first.start();
    await first.store.setSettings('tuned', { level: 'high' }, 'test'); // as an earlier version stored them
    await first.stop();

    const host = new PluginHost({ runtime, connection: db.connection, builtins: false, extra: [dir], log: () => {} });
    await host.start();
    const [tuned] = host.list().items;
    assert.equal(tuned!.status, 'failed');
    assert.match(tuned!.error!, /stored settings do not satisfy its settings schema \(settings\/level must be integer\); correct them with PUT \/api\/plugins\/tuned\/settings/);
    await host.setSettings('tuned', { level: 7 }, 'test');
    assert.equal(host.list().items[0]!.status, 'running');
    await host.stop();
    await runtime.stop();
  });
});
