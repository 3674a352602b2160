// Uploaded XML is checked before any parser sees it: no document type declarations (they carry
// entities: billion laughs, external entities), no processing instructions other than the XML
// declaration, a size limit and a nesting limit. A BPMN file from a modeler needs none of these.
export const MAX_XML_BYTES = 5 * 1024 * 1024;
export const MAX_XML_DEPTH = 100;

/** The reason an XML document is refused (English, and what was refused), or null. */
export function xmlRefusal(xml: string): { message: string; reason: 'size' | 'doctype' | 'entity' | 'instruction' | 'depth'; limit?: number } | null {
  if (Buffer.byteLength(xml, 'utf8') > MAX_XML_BYTES) return { message: `The XML is larger than ${MAX_XML_BYTES / 1024 / 1024} MiB`, reason: 'size', limit: MAX_XML_BYTES / 1024 / 1024 };
  if (/<!DOCTYPE/i.test(xml)) return { message: 'The XML declares a document type (<!DOCTYPE …>); DTDs and entities are refused', reason: 'doctype' };
  if (/<!ENTITY/i.test(xml)) return { message: 'The XML declares entities (<!ENTITY …>); entities are refused', reason: 'entity' };
  if (/<\?(?!xml[\s?])/i.test(xml)) return { message: 'The XML contains processing instructions; only the <?xml …?> declaration is allowed', reason: 'instruction' };
  // Nesting depth, counted on tags outside comments and CDATA sections.
  const text = xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  let depth = 0;
  for (const m of text.matchAll(/<(\/?)[A-Za-z_][^>]*?(\/?)>/g)) {
    if (m[1]) depth--;
    else if (!m[2]) depth++;
    if (depth > MAX_XML_DEPTH) return { message: `The XML is nested deeper than ${MAX_XML_DEPTH} levels`, reason: 'depth', limit: MAX_XML_DEPTH };
  }
  return null;
}

/** The reason an XML document is refused, or null. */
export function xmlProblem(xml: string): string | null {
  return xmlRefusal(xml)?.message ?? null;
}
