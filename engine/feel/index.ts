// FEEL for the embedded engine: Camunda-style evaluation on feelin, deploy-time syntax checks and
// the registry of extra built-in functions.
export { evaluate, evaluateFeel, evaluateBoolean, evaluateString, evaluateNumber, evaluateList, evaluateStringList, resultType } from './evaluate.ts';
export type { EvaluateOptions, FeelContext, FeelResult, TypedOptions } from './evaluate.ts';
export { parseFeel, isExpression, stripExpressionMarker, FEEL_DIALECT } from './parse.ts';
export { FeelError, describeWarnings } from './errors.ts';
export type { FeelWarning, FeelErrorKind } from './errors.ts';
export { registerFeelFunction, unregisterFeelFunction, registeredFeelFunctions } from './functions.ts';
export type { FeelFunctionImpl } from './functions.ts';
export { toJson } from './convert.ts';
export type { JsonValue } from './convert.ts';
export { MAX_EXPRESSION_LENGTH, MAX_RESULT_CHARS, MAX_RESULT_DEPTH } from './limits.ts';
