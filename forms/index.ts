// Forms as data, enforced on the server: form-js schemas compiled to JSON Schema and submissions
// validated against them. See forms/README.md.
export { compileForm } from './compile.ts';
export type { CompiledForm, CompileOptions } from './compile.ts';
export { validateSubmission } from './validate.ts';
export type { ValidateOptions, ValidationResult } from './validate.ts';
export { checkFormSchema, FormSchemaError } from './schema-check.ts';
export { prepareForm, clearPreparedForms } from './prepare.ts';
export type { PreparedForm, PrepareOptions } from './prepare.ts';
export { isValidUscc, usccCheckCharacter, USCC_SHAPE } from './uscc.ts';
export { isCnMobile, isInternationalPhone, CN_MOBILE_PATTERN } from './phone.ts';
export { isEmail } from './email.ts';
export { COMPONENTS, VALIDATION_TYPES } from './components.ts';
export { MAX_SUBMISSION_BYTES, MAX_SUBMISSION_DEPTH, MAX_COMPONENTS, MAX_COMPONENT_DEPTH } from './limits.ts';
export type { ErrorCode, FieldError, FieldInfo, JsonObject, JsonValue, Locale, PathSegment, SchemaProblem } from './types.ts';
