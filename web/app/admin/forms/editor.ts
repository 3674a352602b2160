// form-js's editor. Its ES build pairs the editor and the viewer with two different copies of
// Preact (each package pins its own), which breaks their shared hooks once bundled; the
// distribution's own UMD build has them joined, so that is the one loaded here.
// The words the bundle looks up (vendor-words.ts) answer from its first render.
import '../../ui/form-words.ts';
// @ts-ignore -- a UMD file without type declarations; typed by FormEditorLike below
import * as umd from '../../../../node_modules/@bpmn-io/form-js/dist/form-editor.umd.js';
import '@bpmn-io/form-js/dist/assets/form-js.css';
import '@bpmn-io/form-js/dist/assets/form-js-editor.css';

export interface FormSchema { id?: string; type?: string; components: unknown[]; [key: string]: unknown }

export interface FormEditorLike {
  importSchema(schema: FormSchema): Promise<{ warnings: unknown[] }>;
  saveSchema(): FormSchema;
  on(event: string, fn: (e: unknown) => void): void;
  off(event: string, fn: (e: unknown) => void): void;
  destroy(): void;
}

const { FormEditor, schemaVersion } = ((umd as { default?: unknown }).default ?? umd) as {
  FormEditor: new (opts: { container: HTMLElement; exporter?: { name: string; version: string } }) => FormEditorLike;
  schemaVersion: number;
};

export function createFormEditor(container: HTMLElement): FormEditorLike {
  return new FormEditor({ container, exporter: { name: 'Gridflow', version: '1.0' } });
}

/** A new form: a heading, one text field and nothing else. */
export function blankForm(id: string, title: string): FormSchema {
  return {
    id, type: 'default', schemaVersion, executionPlatform: 'Camunda Cloud', executionPlatformVersion: '8.8.0',
    components: [{ type: 'text', text: `# ${title}`, id: 'Heading_1' }],
  };
}
