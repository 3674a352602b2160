// Shapes shared by the form compiler and the submission validator.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One step of a data path: an object key or an index into a dynamic list. */
export type PathSegment = string | number;

export type Locale = 'zh' | 'en';

/** Stable failure codes of a submission (see messages.ts for the wording in both languages). */
export type ErrorCode =
  | 'REQUIRED'
  | 'MIN_LENGTH'
  | 'MAX_LENGTH'
  | 'MIN'
  | 'MAX'
  | 'PATTERN'
  | 'EMAIL'
  | 'PHONE'
  | 'CN_MOBILE'
  | 'USCC'
  | 'NOT_AN_OPTION'
  | 'DUPLICATE'
  | 'TYPE'
  | 'SINGLE_LINE'
  | 'DECIMAL_DIGITS'
  | 'INCREMENT'
  | 'DATE_FORMAT'
  | 'TIME_INTERVAL'
  | 'DATE_IN_PAST'
  | 'DOCUMENT'
  | 'TOO_MANY_FILES'
  | 'ITEM_COUNT'
  | 'READONLY_CHANGED'
  | 'UNKNOWN_FIELD'
  | 'NOT_AN_OBJECT'
  | 'NOT_JSON'
  | 'TOO_LARGE';

export interface FieldError {
  /** Where the value lives in the submission, e.g. `demands[0].title`; '' for the submission itself. */
  path: string;
  /** The component's label as the user saw it (FEEL and templates evaluated), else its key. */
  label: string;
  code: ErrorCode;
  message: string;
}

/** What the compiler knows about one field (or container) at one concrete data path. */
export interface FieldInfo {
  path: string;
  segments: PathSegment[];
  /** Component id in the form schema. */
  id: string;
  /** Component type, e.g. 'textfield', 'dynamiclist'. */
  type: string;
  label: string;
  /** conditional.hide is true here (or on a container around it): the value is dropped. */
  hidden: boolean;
  /** FEEL/static readonly: the submitter must leave the value as it is. */
  readonly: boolean;
  /** disabled: the value is neither editable nor submitted. */
  disabled: boolean;
  required: boolean;
}

/** One problem in a form schema document. */
export interface SchemaProblem {
  /** The component's id, else its position, e.g. `components[2].components[0]`; 'form' for the root. */
  componentId: string;
  /** The offending property, e.g. 'key', 'validate.minLength'. */
  property: string;
  message: string;
  /** What is wrong (e.g. PATH_COLLISION, FEEL_INVALID; VALUE_INVALID: a value of the wrong type or form), with its `params`. */
  code?: string;
  params?: Record<string, string | number>;
}
