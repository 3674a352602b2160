// The Camunda 8 modeler: camunda-bpmn-js's Camunda Cloud distribution (Zeebe moddle, properties
// panel, element templates), Camunda 8.8's linting on the canvas, and bpmn-js's translate module
// in the user's language. Everything heavy is imported here, so it loads with the admin pages only.
// The distribution's own bundle is used, not its ES modules: those render their menus with
// htm/preact, which resolves to the app's Preact 11 while diagram-js renders with its Preact 10,
// and a Preact 10 render draws nothing of Preact 11's elements (the create, append and change-type
// menus stayed empty). The bundle has one Preact inside.
// @ts-ignore -- a UMD file without type declarations; typed by vendor.d.ts's Modeler
import * as distribution from '../../../../node_modules/camunda-bpmn-js/dist/camunda-cloud-modeler.production.min.js';
import type ModelerType from 'camunda-bpmn-js/lib/camunda-cloud/Modeler';
import type { LintReport } from '@camunda/linting';
import { BundledLinter } from './linter.ts';
import lintingModule from '@camunda/linting/modeler';
import { lintAnnotationsModule } from './lint-annotations.ts';
import zn from 'bpmn-js-i18n/translations/zn.js';
import 'camunda-bpmn-js/dist/assets/camunda-cloud-modeler.css';
import '@camunda/linting/assets/linting.css';
import { MODELER_ZH } from './zh.ts';
import type { Locale } from '../../core/i18n.ts';

export type { LintReport };

/** The Camunda version Gridflow speaks (REST API v2 of 8.8): diagrams are linted against it. */
export const EXECUTION_PLATFORM = 'Camunda Cloud';
export const EXECUTION_PLATFORM_VERSION = '8.8.0';

const DICTIONARY: Record<Locale, Record<string, string>> = { zh: { ...zn, ...MODELER_ZH }, en: {} };

/** Texts asked for with no translation, for the browser tests to check (and the curious). */
export const missingTranslations = new Set<string>();

function translator(locale: Locale) {
  const dict = DICTIONARY[locale];
  return (template: string, replacements: Record<string, string> = {}) => {
    const text = dict[template];
    if (text === undefined && locale !== 'en') missingTranslations.add(template);
    return (text ?? template).replace(/{([^}]+)}/g, (m, key: string) => replacements[key] ?? m);
  };
}

const Modeler = ((distribution as { default?: unknown }).default ?? distribution) as typeof ModelerType;

export type BpmnModeler = InstanceType<typeof ModelerType>;

/** The properties panel's tooltips it draws without its translate (group marks, list buttons), rewritten as they appear. */
const UNTRANSLATED_TITLES = [
  'Section contains edits', 'Section contains an error', 'Toggle section', 'Create new list item', 'Delete item', 'Toggle list item',
  'Select a template', 'Click to set a dynamic value with FEEL expression', 'Click to remove dynamic value with FEEL expression', 'FEEL expression is mandatory',
];
const panelObservers = new WeakMap<object, MutationObserver>();

function translatePanelTitles(panel: HTMLElement, locale: Locale): MutationObserver | null {
  if (locale === 'en') return null;
  const translate = translator(locale);
  const fix = (root: ParentNode) => {
    for (const el of root.querySelectorAll<HTMLElement>('[title]')) if (UNTRANSLATED_TITLES.includes(el.title)) el.title = translate(el.title);
  };
  fix(panel);
  const observer = new MutationObserver((records) => {
    for (const r of records) if (r.target instanceof HTMLElement) { if (UNTRANSLATED_TITLES.includes(r.target.title)) r.target.title = translate(r.target.title); fix(r.target); }
  });
  observer.observe(panel, { subtree: true, childList: true, attributes: true, attributeFilter: ['title'] });
  return observer;
}

export function createModeler(opts: { canvas: HTMLElement; panel: HTMLElement; locale: Locale; templates: unknown[] }): BpmnModeler {
  (globalThis as { __gridflowMissingTranslations?: Set<string> }).__gridflowMissingTranslations = missingTranslations;
  const modeler = new Modeler({
    container: opts.canvas,
    propertiesPanel: { parent: opts.panel },
    additionalModules: [lintingModule, lintAnnotationsModule(opts.locale), { translate: ['value', translator(opts.locale)] }],
    elementTemplates: opts.templates,
    linting: { active: true },
  });
  const observer = translatePanelTitles(opts.panel, opts.locale);
  if (observer) panelObservers.set(modeler, observer);
  return modeler;
}

const destroyed = new WeakSet<object>();

/** Destroys the modeler; work still on its way for it (linting) then leaves it alone. */
export function destroyModeler(modeler: BpmnModeler): void {
  destroyed.add(modeler);
  panelObservers.get(modeler)?.disconnect();
  modeler.destroy();
}

const linter = new BundledLinter({ modeler: 'web', type: 'cloud' });

/**
 * Marks the diagram as a Camunda 8.8 diagram when it says nothing (diagrams drawn elsewhere),
 * as Camunda Modeler does, so linting and templates know the engine it is for.
 */
export function ensureExecutionPlatform(modeler: BpmnModeler): void {
  const definitions = modeler.getDefinitions();
  if (!definitions) return;
  if (!definitions.get('modeler:executionPlatform')) definitions.set('modeler:executionPlatform', EXECUTION_PLATFORM);
  if (!definitions.get('modeler:executionPlatformVersion')) definitions.set('modeler:executionPlatformVersion', EXECUTION_PLATFORM_VERSION);
}

/** Lints the diagram and shows the reports on the canvas and in the properties panel. */
export async function lint(modeler: BpmnModeler): Promise<LintReport[]> {
  const definitions = modeler.getDefinitions();
  if (!definitions) return [];
  const reports = await linter.lint(definitions);
  // The modeler may have been destroyed meanwhile (a language switch, leaving the page).
  if (!destroyed.has(modeler)) modeler.get<{ setErrors(r: LintReport[]): void }>('linting').setErrors(reports);
  return reports;
}

export function showReport(modeler: BpmnModeler, report: LintReport): void {
  modeler.get<{ showError(r: LintReport): void }>('linting').showError(report);
}

/** The id of the diagram's (first) executable process: what a deployment versions. */
export function processIdOf(modeler: BpmnModeler): string | null {
  const definitions = modeler.getDefinitions();
  const processes = (definitions?.rootElements ?? []).filter((e: { $type: string }) => e.$type === 'bpmn:Process');
  const participants = processes.length === 0 ? [] : processes;
  const chosen = participants.find((p: { isExecutable?: boolean }) => p.isExecutable) ?? participants[0];
  return chosen?.id ?? null;
}
