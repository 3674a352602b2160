// Bounds on what the form compiler and the submission validator accept. Form schemas come from
// modelers, submissions from anyone who can complete a task: both are capped so that one bad
// document cannot exhaust the server. See forms/README.md.

/** Largest submission accepted: the length of its JSON text in UTF-8 bytes (1 MiB). */
export const MAX_SUBMISSION_BYTES = 1_048_576;
/** Deepest nesting of objects and arrays in a submission. */
export const MAX_SUBMISSION_DEPTH = 32;

/** Most components (of any type, nested ones included) in one form schema. */
export const MAX_COMPONENTS = 2_000;
/** Deepest nesting of groups and dynamic lists in one form schema. */
export const MAX_COMPONENT_DEPTH = 16;
/** Most repetitions of one dynamic list in a submission. */
export const MAX_LIST_ITEMS = 1_000;
/** Longest `validate.pattern` (regular expressions are compiled from the schema). */
export const MAX_PATTERN_LENGTH = 1_000;
/** Longest time the check for catastrophic backtracking may spend on one pattern (longer: refused). */
export const PATTERN_CHECK_TIMEOUT_MS = 2_000;
/** Longest time the patterns of one form may take to check in all (the rest are refused). */
export const PATTERN_CHECK_TOTAL_MS = 10_000;
/**
 * Longest text a pattern is run on. Deployed patterns are proven free of catastrophic backtracking;
 * this bounds the work of a match all the same (longer text fails the pattern rule).
 */
export const MAX_PATTERN_SUBJECT_LENGTH = 10_000;

/** Prepared forms and compiled validators kept in memory (least recently used are dropped). */
export const PREPARED_FORM_CACHE_SIZE = 200;
export const VALIDATOR_CACHE_SIZE = 500;
