// form-js writes a few words of its own in English: the viewer (the select's placeholder, the
// search box, empty lists, the dynamic list's buttons) and, in the designer, the editor's canvas
// (placeholders of empty fields, the labels it gives a new field). The build (build.ts) rewrites
// those literals in the bundles into look-ups of globalThis.__gridflowWord, which
// ui/form-words.ts answers in the user's language; a literal the build no longer finds (a form-js
// upgrade) stays English. The editor's palette and properties panel are translated as they render
// (admin/forms/editor-zh.ts).
export const FORM_JS_VIEWER = /@bpmn-io[\\/]form-js-viewer[\\/]dist[\\/]index\.es\.js$/;
/** The designer's bundle: the editor with its own copy of the viewer (admin/forms/editor.ts). */
export const FORM_JS_EDITOR = /@bpmn-io[\\/]form-js[\\/]dist[\\/]form-editor\.umd\.js$/;

/** A word as form-js writes it, and the key it is looked up by when that differs. */
type Word = string | { text: string; key: string };
type Snippet = [snippet: string, ...words: Word[]];
/** A snippet rewritten as a whole, for words built from an expression (a date format, a number). */
type Rewrite = { snippet: string; with: string };

const lookup = (key: string, english: string) => `(globalThis.__gridflowWord?.(${key}) ?? ${english})`;

/** Exact snippets of form-js-viewer's bundle and the English words in each. */
export const FORM_JS_SNIPPETS: Snippet[] = [
  ["emptyListMessage = 'No results'", 'No results'],
  ["placeholder: 'Search',", 'Search'],
  ["children: valueLabel || 'Select'", 'Select'],
  ["placeholder: disabled || readonly ? undefined : 'Search'", 'Search'],
  ["hasOptionsLeft ? 'No results' : 'All values selected'", 'No results', 'All values selected'],
  ["\" \", 'Add new']", 'Add new'],
  ["\" \", 'Collapse']", 'Collapse'],
  ['" ", `Expand all (${values.length - 1})`]', 'Expand all'],
  ['children: "Browse"', 'Browse'],
  ['"aria-label": "Increment"', 'Increment'],
  ['"aria-label": "Decrement"', 'Decrement'],
  ["placeholder: use24h ? 'hh:mm' : 'hh:mm --',", 'hh:mm', 'hh:mm --'],
  ["['Date and time must both be entered.', ...errors]", 'Date and time must both be entered.'],
  ['[currentPage + 1, " of ", chunkedData.length]', ' of '],
  ['"aria-label": "Previous page"', 'Previous page'],
  ['"aria-label": "Next page"', 'Next page'],
  ["return 'Click to remove sorting';", 'Click to remove sorting'],
  ["errors.push('Document reference is not defined.');", 'Document reference is not defined.'],
  ["errors: ['Unable to download document']", 'Unable to download document'],
  ["const errorMessage = 'Unable to download document';", 'Unable to download document'],
  ["buildErrorState('No options source defined in the form definition')", 'No options source defined in the form definition'],
];

/** Snippets of both bundles whose words are built from an expression. */
export const FORM_JS_REWRITES: Rewrite[] = [
  // The date field's placeholder is the browser locale's format (yyyy/mm/dd), looked up with it.
  { snippet: 'placeholder: getLocaleReadableDateFormat(),', with: `placeholder: ${lookup('"date-format:" + getLocaleReadableDateFormat()', 'getLocaleReadableDateFormat()')},` },
  { snippet: '"aria-label": `Remove list item ${itemIndex + 1}`', with: `"aria-label": ${lookup('"remove-item:" + (itemIndex + 1)', '`Remove list item ${itemIndex + 1}`')}` },
  { snippet: '"aria-label": `Download ${fileName}`', with: `"aria-label": ${lookup('"download:" + fileName', '`Download ${fileName}`')}` },
  { snippet: 'return `Click to sort by ${label} descending`;', with: `return ${lookup('"sort-descending:" + label', '`Click to sort by ${label} descending`')};` },
  { snippet: 'return `Click to sort by ${label} ascending`;', with: `return ${lookup('"sort-ascending:" + label', '`Click to sort by ${label} ascending`')};` },
];

// The label form-js gives a field dropped on the canvas: the field's first label, in the designer's language.
const newField = (text: string, next: string): Snippet => [`create: (options = {}) => ({\n\t    label: '${text}',\n\t    ${next}`, { text, key: `new:${text}` }];

/** The editor's bundle: the viewer's snippets, what its canvas shows of its own, new fields' labels. */
export const FORM_EDITOR_SNIPPETS: Snippet[] = [
  ...FORM_JS_SNIPPETS,
  ['text: "No content to show."', 'No content to show.'],
  ['text: "External content couldn\'t be loaded."', 'External content couldn\'t be loaded.'],
  ['alt: "This is an image placeholder"', 'This is an image placeholder'],
  ['children: "Nothing to show."', 'Nothing to show.'],
  ["evaluatedColumns.length === 0 ? 'Nothing to show.'", 'Nothing to show.'],
  ["return 'No files selected';", 'No files selected'],
  ['children: "Drag and drop components here."', 'Drag and drop components here.'],
  ['children: "Opened in popup"', 'Opened in popup'],
  ["text = 'iFrame'", 'iFrame'],
  ['}), "iFrame"]', 'iFrame'],
  ["keyed: true,\n\t  label: 'File picker',", { text: 'File picker', key: 'new:File picker' }],
  ['}), "Html view is empty"]', 'Html view is empty'],
  ["let placeholderContent = 'Expression is empty';", 'Expression is empty'],
  ['children: "Repeatable"', 'Repeatable'],
  ['children: "Content"', 'Content'],
  ['}), "Document preview"]', 'Document preview'],
  // What a new field starts with besides its label: options, a table's columns, a date's label, a text view's text.
  ["defaults.values = [{\n\t      label: 'Value',", { text: 'Value', key: 'new:Value' }],
  ["label: 'Table',\n\t      rowCount: 10,", { text: 'Table', key: 'new:Table' }],
  ["label: 'Name',\n\t        key: 'name'", { text: 'Name', key: 'new:Name' }],
  ["label: 'Date',\n\t        key: 'date'", { text: 'Date', key: 'new:Date' }],
  ["set$1(defaults, DATE_LABEL_PATH, 'Date');", { text: 'Date', key: 'new:Date' }],
  ["editField(field, DATE_LABEL_PATH, 'Date');", { text: 'Date', key: 'new:Date' }],
  ["const TEXT_VIEW_DEFAULT_TEXT = '# Text';", { text: '# Text', key: 'new:# Text' }],
  newField('Button', 'action'), newField('Checkbox', '...options'), newField('Checkbox group', '...createEmptyOptions(options)'),
  newField('Group', 'components'), newField('iFrame', 'security'), newField('Number', '...options'),
  newField('Radio group', '...createEmptyOptions(options)'), newField('Select', '...createEmptyOptions(options)'),
  newField('Dynamic list', 'components'), newField('Tag list', '...createEmptyOptions(options)'), newField('Text field', '...options'),
  newField('Text area', '...options'), newField('Document preview', '...options'),
];

/** Rewrites the snippets of a form-js bundle; returns the source and the snippets not found. */
export function localizeFormJs(source: string, snippets: Snippet[] = FORM_JS_SNIPPETS): { source: string; missing: string[] } {
  const missing: string[] = [];
  for (const r of FORM_JS_REWRITES) {
    if (source.includes(r.snippet)) source = source.split(r.snippet).join(r.with);
    else missing.push(r.snippet);
  }
  for (const [snippet, ...words] of snippets) {
    if (!source.includes(snippet)) { missing.push(snippet); continue; }
    let next = snippet;
    for (const w of words) {
      const { text, key } = typeof w === 'string' ? { text: w, key: w } : w;
      const word = lookup(JSON.stringify(key), JSON.stringify(text));
      next = text === 'Expand all'
        ? next.replace('`Expand all (${values.length - 1})`', `${word} + \` (\${values.length - 1})\``)
        : next.replace(next.includes(`'${text}'`) ? `'${text}'` : `"${text}"`, word);
    }
    source = source.split(snippet).join(next);
  }
  return { source, missing };
}
