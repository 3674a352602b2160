// form-js's viewer writes a few words of its own in English (the select's placeholder, the search
// box, empty lists, the dynamic list's buttons). The build (build.ts) rewrites those literals in
// its bundle into look-ups of globalThis.__gridflowWord, which ui/form-words.ts answers in the
// user's language; a literal the build no longer finds (a form-js upgrade) stays English.
export const FORM_JS_VIEWER = /@bpmn-io[\\/]form-js-viewer[\\/]dist[\\/]index\.es\.js$/;

/** Exact snippets of form-js-viewer's bundle and the English words in each. */
export const FORM_JS_SNIPPETS: Array<[snippet: string, ...words: string[]]> = [
  ["emptyListMessage = 'No results'", 'No results'],
  ["placeholder: 'Search',", 'Search'],
  ["children: valueLabel || 'Select'", 'Select'],
  ["placeholder: disabled || readonly ? undefined : 'Search'", 'Search'],
  ["hasOptionsLeft ? 'No results' : 'All values selected'", 'No results', 'All values selected'],
  ["\" \", 'Add new']", 'Add new'],
  ["\" \", 'Collapse']", 'Collapse'],
  ['" ", `Expand all (${values.length - 1})`]', 'Expand all'],
  ['children: "Browse"', 'Browse'],
];

/** Rewrites the snippets of form-js-viewer's source; returns the source and the snippets not found. */
export function localizeFormJs(source: string): { source: string; missing: string[] } {
  const missing: string[] = [];
  for (const [snippet, ...words] of FORM_JS_SNIPPETS) {
    if (!source.includes(snippet)) { missing.push(snippet); continue; }
    let next = snippet;
    for (const word of words) {
      const lookup = `(globalThis.__gridflowWord?.(${JSON.stringify(word)}) ?? ${JSON.stringify(word)})`;
      next = word === 'Expand all'
        ? next.replace('`Expand all (${values.length - 1})`', `${lookup} + \` (\${values.length - 1})\``)
        : next.replace(next.includes(`'${word}'`) ? `'${word}'` : `"${word}"`, lookup);
    }
    source = source.split(snippet).join(next);
  }
  return { source, missing };
}
