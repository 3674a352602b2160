// The linting's marks on the canvas: one badge per element with problems (errors red, warnings
// amber, the count, the messages on hover), a click selects the element and opens the entry in the
// properties panel. Replaces @camunda/linting's own marks, which render through diagram-js-ui's
// Preact and stay empty in this app (see modeler.ts).
import type { Locale } from '../../core/i18n.ts';
import { lintMessage } from './lint-messages.ts';
import type { LintReport } from '@camunda/linting';

interface Overlays { add(element: unknown, type: string, o: { position: Record<string, number>; html: HTMLElement; scale?: { min?: number } }): string; remove(filter: { type: string }): void }
interface Shape { id: string }

const LABELS: Record<Locale, { error: string; warn: string }> = {
  zh: { error: '{n} 个错误', warn: '{n} 个警告' },
  en: { error: '{n} errors', warn: '{n} warnings' },
};

class LintAnnotations {
  static $inject = ['canvas', 'elementRegistry', 'eventBus', 'overlays', 'gridflowLocale'];
  private reports = new Map<string, LintReport[]>();

  constructor(
    private canvas: { getRootElement(): unknown },
    private registry: { get(id: string): Shape | undefined },
    private eventBus: { fire(e: string, data: unknown): void; on(e: string, fn: () => void): void },
    private overlays: Overlays,
    private locale: Locale,
  ) {
    eventBus.on('import.done', () => this.update());
  }

  setErrors(reports: LintReport[]): void {
    this.reports = new Map();
    for (const r of reports) if (r.category !== 'rule-error') this.reports.set(r.id, [...(this.reports.get(r.id) ?? []), r]);
    this.update();
  }

  private update(): void {
    this.overlays.remove({ type: 'linting' });
    for (const [id, reports] of this.reports) {
      const element = this.registry.get(id);
      if (!element || element === this.canvas.getRootElement()) continue;
      const errors = reports.filter((r) => r.category !== 'warn').length;
      const badge = document.createElement('button');
      badge.type = 'button';
      badge.className = `gf-lint-badge ${errors ? 'gf-lint-error' : 'gf-lint-warn'}`;
      badge.textContent = String(reports.length);
      const summary = errors ? LABELS[this.locale].error.replace('{n}', String(errors)) : LABELS[this.locale].warn.replace('{n}', String(reports.length));
      badge.title = [summary, ...reports.map((r) => lintMessage(r))].join('\n');
      badge.setAttribute('aria-label', badge.title);
      badge.addEventListener('click', (e) => { e.stopPropagation(); this.eventBus.fire('lintingAnnotations.click', { report: reports[0] }); });
      this.overlays.add(element, 'linting', { position: { top: -10, left: -10 }, html: badge, scale: { min: 0.5 } });
    }
  }
}

/** The module, for the modeler's additionalModules; it takes the place of the library's marks. */
export function lintAnnotationsModule(locale: Locale) {
  return { __init__: ['lintingAnnotations'], lintingAnnotations: ['type', LintAnnotations], 'gridflowLocale': ['value', locale] };
}
