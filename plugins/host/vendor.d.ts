// @bpmn-io/element-templates-validator ships no type declarations.
declare module '@bpmn-io/element-templates-validator' {
  export interface TemplateError { instancePath?: string; dataPath?: string; message?: string; keyword?: string }
  export function validateZeebe(template: unknown): { valid: boolean; errors?: TemplateError[] };
  export function validateAllZeebe(templates: unknown[]): { valid: boolean; results: Array<{ valid: boolean; errors?: TemplateError[] }> };
}
