// Reading BPMN XML with bpmn-moddle and the Zeebe extension descriptors.
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };

/** The moddle element shape this module relies on (moddle elements carry more). */
export interface ModdleElement {
  readonly $type: string;
  $parent?: ModdleElement;
  id?: string;
  name?: string;
  body?: string;
  [key: string]: unknown;
}

export interface ModdleWarning {
  message: string;
  element?: ModdleElement;
  property?: string;
  value?: string;
}

export interface ParsedDefinitions {
  definitions: ModdleElement;
  warnings: ModdleWarning[];
}

interface BpmnModdleInstance {
  fromXML(xml: string, typeName?: string): Promise<{ rootElement: ModdleElement; warnings: ModdleWarning[] }>;
}
type BpmnModdleCtor = new (packages: Record<string, unknown>) => BpmnModdleInstance;

// bpmn-moddle ships no type declarations for its main entry: load it untyped, typed here.
const BPMN_MODDLE = 'bpmn-moddle';
let ctor: Promise<BpmnModdleCtor> | undefined;

async function createModdle(): Promise<BpmnModdleInstance> {
  ctor ??= import(BPMN_MODDLE).then((m: { BpmnModdle: BpmnModdleCtor }) => m.BpmnModdle);
  const BpmnModdle = await ctor;
  return new BpmnModdle({ zeebe: zeebeDescriptor });
}

/** Parse BPMN XML. Throws (with the parser's message) when the document cannot be read at all. */
export async function parseBpmn(xml: string): Promise<ParsedDefinitions> {
  const moddle = await createModdle();
  const { rootElement, warnings } = await moddle.fromXML(xml, 'bpmn:Definitions');
  return { definitions: rootElement, warnings };
}

// Small typed accessors for moddle properties.

export function str(el: ModdleElement | undefined, key: string): string | null {
  const v = el?.[key];
  return typeof v === 'string' ? v : null;
}

export function bool(el: ModdleElement | undefined, key: string): boolean | null {
  const v = el?.[key];
  return typeof v === 'boolean' ? v : null;
}

export function list(el: ModdleElement | undefined, key: string): ModdleElement[] {
  const v = el?.[key];
  return Array.isArray(v) ? (v as ModdleElement[]) : [];
}

export function child(el: ModdleElement | undefined, key: string): ModdleElement | undefined {
  const v = el?.[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as ModdleElement) : undefined;
}

/** Id of a referenced element (moddle resolves references to the element itself). */
export function refId(el: ModdleElement | undefined, key: string): string | null {
  const v = el?.[key];
  if (typeof v === 'string') return v;
  return child(el, key)?.id ?? null;
}

/** Text body of an expression-like child (conditionExpression, timeDuration, ...). */
export function bodyOf(el: ModdleElement | undefined, key: string): string | null {
  const c = child(el, key);
  return c ? (typeof c.body === 'string' ? c.body.trim() : '') : null;
}
