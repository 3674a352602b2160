// Hostile XML at deployment: entity expansion, external entities, processing instructions, depth, size.
import assert from 'node:assert/strict';
import { bpmn, flow } from './helpers/bpmn.ts';
import { testRuntime } from './helpers/runtime.ts';
import type { EmbeddedRuntime } from '../engine/embedded/embedded-runtime.ts';

describe('hostile XML is refused at deployment', () => {
  let rt: EmbeddedRuntime;
  before(async () => { ({ runtime: rt } = await testRuntime('xml_attacks')); });
  after(() => rt.stop());
  const body = `<bpmn:startEvent id="s"/>${flow('f', 's', 'e')}<bpmn:endEvent id="e" name="&lol9;"/>`;
  const refused = (xml: string, reason: RegExp) => assert.rejects(rt.deploy([{ name: 'attack.bpmn', content: xml }]), (e: any) => e.status === 400 && reason.test(e.message));

  it('billion laughs', async () => {
    const lols = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)].join('');
    await refused(`<?xml version="1.0"?><!DOCTYPE lolz [${lols}]>${bpmn('laughs', body).replace(/^<\?xml[^>]*>/, '')}`, /DOCTYPE|entit/i);
  });

  it('external entity (XXE)', async () => {
    const xml = bpmn('xxe', `<bpmn:startEvent id="s" name="&xxe;"/>`).replace(/^<\?xml[^>]*>/, '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>');
    await refused(xml, /DOCTYPE|entit/i);
  });

  it('processing instructions, deep nesting and oversized documents', async () => {
    await refused(bpmn('pi', `<?evil run?><bpmn:startEvent id="s"/>`), /processing instruction/i);
    const deep = '<bpmn:documentation>'.repeat(500) + '</bpmn:documentation>'.repeat(500);
    await refused(bpmn('deep', `<bpmn:startEvent id="s">${deep}</bpmn:startEvent>`), /nested deeper/);
    await refused(bpmn('huge', `<bpmn:startEvent id="s"><bpmn:documentation>${'x'.repeat(6 * 1024 * 1024)}</bpmn:documentation></bpmn:startEvent>`), /larger than/);
  });

  it('the platform keeps serving after them', async () => {
    const d = await rt.deploy([{ name: 'fine.bpmn', content: bpmn('fine', `<bpmn:startEvent id="s"/>${flow('f', 's', 'e')}<bpmn:endEvent id="e"/>`) }]);
    assert.equal((d.deployments[0] as any).processDefinition.processDefinitionId, 'fine');
  });
});
