// Task headers as stored in jobs and user tasks: a list of { key, value }. Header keys are free
// text (Camunda's element templates write `io.camunda.template.id`), and document databases
// refuse dots and leading dollars in field names (FerretDB always, MongoDB in places).
export type StoredHeaders = Array<{ key: string; value: string }>;

export function headerList(headers: Record<string, string> | undefined): StoredHeaders {
  return Object.entries(headers ?? {}).map(([key, value]) => ({ key, value }));
}

/** The API's `customHeaders` object; documents stored before the list read as they are. */
export function headerObject(stored: unknown): Record<string, string> {
  if (Array.isArray(stored)) return Object.fromEntries(stored.map((h: { key: string; value: string }) => [h.key, h.value]));
  return (stored ?? {}) as Record<string, string>;
}
