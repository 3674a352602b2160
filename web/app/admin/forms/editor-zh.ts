// form-js's editor has no translation hook: its palette and properties panel are English. In
// Chinese, their texts (never the form's own content on the canvas) are replaced as they render.
import type { Locale } from '../../core/i18n.ts';

const ZH: Record<string, string> = {
  'Section contains edits': '本节有修改', 'Toggle section': '展开或收起', 'Click to set a dynamic value with FEEL expression': '点击改用 FEEL 表达式设置动态值',
  'Open pop-up editor': '在弹出编辑器中打开', 'Remove item': '删除此项', 'Create new list item': '添加列表项', 'Delete form field': '删除字段',
  'Text view is templated': '含模板的文本（办理时填入数据）', 'Components': '组件', 'Search components': '搜索组件', 'Search': '搜索', 'No components found.': '没有找到组件。',
  'Input': '输入', 'Selection': '选择', 'Presentation': '展示', 'Containers': '容器', 'Action': '操作',
  'Text field': '文本框', 'Text area': '多行文本', 'Number': '数字', 'Date time': '日期时间', 'Expression': '表达式',
  'File picker': '文件上传', 'Checkbox': '复选框', 'Checkbox group': '复选组', 'Radio group': '单选组', 'Select': '下拉选择',
  'Tag list': '标签列表', 'Text view': '文本', 'HTML view': 'HTML', 'Image view': '图片', 'Table': '表格',
  'Document preview': '文档预览', 'Spacer': '空白', 'Separator': '分隔线', 'Group': '分组', 'Dynamic list': '动态列表',
  'iFrame': '内嵌网页', 'Button': '按钮', 'Form': '表单', 'Default': '默认',
  'Build your form': '开始设计表单', 'Drag and drop components here to start designing.': '把左侧组件拖到这里开始设计。',
  'Use the preview window to test your form.': '用下方的预览检验表单。',
  'Form Properties': '表单属性', 'Properties': '属性', 'Select a form field to edit its properties.': '选择一个字段以编辑其属性。',
  'General': '常规', 'Condition': '条件', 'Layout': '布局', 'Appearance': '外观', 'Serialization': '序列化',
  'Constraints': '约束', 'Validation': '校验', 'Options source': '选项来源', 'Static options': '固定选项',
  'Dynamic options': '动态选项', 'Options expression': '选项表达式', 'Custom properties': '自定义属性',
  'Security attributes': '安全属性', 'Data source': '数据来源', 'Pagination': '分页', 'Header items': '表头项',
  'Headers source': '表头来源', 'Field label': '字段标签', 'Field description': '字段说明', 'Label': '标签', 'Key': '键',
  'Path': '路径', 'ID': 'ID', 'Default value': '默认值', 'Required': '必填', 'Read only': '只读', 'Disabled': '禁用',
  'Columns': '列宽', 'Auto': '自动', 'Hide if': '隐藏条件', 'Minimum length': '最短长度', 'Maximum length': '最长长度',
  'Minimum': '最小值', 'Maximum': '最大值', 'Validation pattern': '校验格式', 'Custom regular expression': '自定义正则表达式',
  'Custom error message': '自定义错误提示', 'Custom': '自定义', 'Email': '电子邮箱', 'Phone': '电话', 'Value': '值',
  'Text': '文本', 'Content': '内容', 'Prefix': '前缀', 'Suffix': '后缀', 'Decimal digits': '小数位数', 'Increment': '步长',
  'Output as string': '以字符串输出', 'Subtype': '子类型', 'Date': '日期', 'Time': '时间', 'Datetime': '日期时间',
  'Date label': '日期标签', 'Time label': '时间标签', 'Time format': '时间格式', 'Time interval': '时间间隔',
  'Use 24h': '24 小时制', 'Disallow past dates': '不允许过去的日期', 'Checked': '选中', 'Not checked': '未选中',
  'Searchable': '可搜索', 'Image source': '图片来源', 'Alternative text': '替代文字', 'Height': '高度', 'URL': '网址',
  'Show outline': '显示边框', 'Vertical alignment': '垂直对齐', 'Top': '顶部', 'Center': '居中', 'Bottom': '底部',
  'Version tag': '版本标签', 'Name': '名称', 'Type': '类型', 'Submit': '提交', 'Reset': '重置',
  'Supported file formats': '支持的文件格式', 'Upload multiple files': '允许多个文件', 'Compute on': '计算时机',
  'Value changes': '值变化时', 'Form submission': '提交表单时', 'Target value': '目标值', 'Literal': '固定值',
  'Allow add/delete items': '允许增删项', 'Default number of items': '默认项数', 'Disable collapse': '禁止折叠',
  'Number of non-collapsing items': '不折叠的项数', 'Number of rows per page': '每页行数', 'Input values key': '输入值键',
  'Binds to a form variable': '绑定到表单变量', 'Where the child variables of this component are pathed to.': '本组件子变量的存放路径。',
  'Define an expression to calculate the value of this field': '定义计算本字段值的表达式',
  'Height of the container in pixels.': '容器高度（像素）。', 'Add': '添加', 'Remove': '删除', 'Delete': '删除',
  'Remove form field': '删除字段', 'Static value': '固定值', '<none>': '〈无〉', 'Column': '列',
  'Start typing "=" to create an expression.': '输入 "=" 创建表达式。',
  'Must be unique.': '必须唯一。', 'Must not be empty.': '不能为空。', 'Must not contain spaces.': '不能包含空格。',
  // The panel's own choices (its select boxes).
  'Date & Time': '日期和时间', 'UTC offset': '带 UTC 偏移', 'UTC normalized': '转为 UTC', 'No timezone': '不带时区',
  'Static': '固定', 'Input data': '输入数据', 'Deactivate if': '停用条件', 'List of items': '数据列表',
  'Script execution': '允许执行脚本', 'Allow same origin': '允许同源访问', 'Open in fullscreen': '允许全屏', 'Geolocation': '地理位置',
  'Camera access': '摄像头', 'Microphone access': '麦克风', 'Forms submission': '允许提交表单', 'Open modal windows': '允许弹出对话框',
  'Open popups': '允许弹出窗口', 'Top level navigation': '允许跳转顶层页面', 'Storage access by user': '允许访问存储',
  'Document reference': '文档引用', 'Group label': '分组标签', 'Table label': '表格标签', 'Title': '标题', 'Field': '字段',
  'A number is required.': '请输入数字。', 'Expression or static value (link/data URI)': '表达式或固定值（链接或 data URI）',
  'Supports markdown and templating.': '支持 Markdown 和模板。', 'Supports HTML, styling, and templating. Styles are automatically scoped to the HTML component.': '支持 HTML、样式和模板；样式只作用于本组件。',
  'Condition under which the field is hidden': '满足此条件时隐藏本字段', 'Condition under which the field is deactivated': '满足此条件时停用本字段',
  'Specify the source from which to populate the table': '表格数据的来源', 'The document data source is required.': '必须指定文档的数据来源。',
  'A comma-separated list of': '以逗号分隔的', 'file type specifiers': '文件类型（如 .pdf,.jpg）', 'Delete item': '删除此项', 'Toggle list item': '展开或收起',
  'FEEL expression is mandatory': '必须使用 FEEL 表达式', 'Create': '添加',
  'These options can incur security risks, especially if used in combination with dynamic links. Ensure that you are aware of them, that you trust the source url and only enable what your use case requires.': '这些选项可能带来安全风险，与动态链接一起使用时尤甚。请了解其影响，确认信任来源网址，只开启确实需要的选项。', 'Max height of preview container': '预览区最大高度', 'Learn more': '了解更多',
  'Multiple form fields are selected. Select a single form field to edit its properties.': '选中了多个字段。请只选择一个字段以编辑其属性。',
  'Version tag by which this form can be referenced.': '引用此表单时可用的版本标签。',
  'Please make sure that the URL is safe as it might impose security risks.': '请确认网址安全，否则可能带来安全风险。',
  'Enter a HTTPS URL to a source or populate it dynamically via a template or an expression (e.g., to pass a value from the variable).': '输入 HTTPS 网址，或用模板、表达式动态填入（例如取自变量）。',
};

// Texts with a number or a name in them.
const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^Maximum (\d+) fields per row are allowed$/, (m) => `每行最多 ${m[1]} 个字段`],
  [/^New value exceeds the maximum of (\d+) columns per row$/, (m) => `超出每行最多 ${m[1]} 列`],
  [/^List contains (\d+) items?$/, (m) => `列表有 ${m[1]} 项`],
  [/^Remove (.+)$/, (m) => `删除${ZH[m[1]!] ?? m[1]}`],
  // The palette's tooltips: "Create a Text field element", "Create an Image view element".
  [/^Create an? (.+) element$/, (m) => `添加${ZH[m[1]!] ?? m[1]}`],
];
const zhOf = (text: string): string | undefined => {
  if (ZH[text] !== undefined) return ZH[text];
  for (const [re, word] of PATTERNS) { const m = re.exec(text); if (m) return word(m); }
  return undefined;
};

const SCOPES = '.fjs-palette-container, .fjs-properties-container, .fjs-empty-editor, .fjs-palette, .fjs-form-field-placeholder, .fjs-context-pad';
const ATTRS = ['placeholder', 'title', 'aria-label'];
// A select box's options are the panel's own choices, so they are translated (their values are not
// touched), except the default value's, which lists the field's own options.
const USER_CONTENT = '.cm-editor, input, textarea, [data-entry-id="defaultValue"] option:not([value=""]):not([value="true"]):not([value="false"]), .bio-properties-panel-header-label, .bio-properties-panel-collapsible-entry-header-title';

function translateTree(root: Node): void {
  const el = root.nodeType === Node.ELEMENT_NODE ? root as Element : root.parentElement;
  if (!el) return;
  const scopes = el.closest(SCOPES) ? [el] : Array.from(el.querySelectorAll(SCOPES));
  for (const scope of scopes) {
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
      // What the user edits (code editors, fields) and names a field carries are data, not the editor's texts.
      acceptNode: (n) => (n.parentElement?.closest(USER_CONTENT) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.nodeValue ?? '';
      const zh = zhOf(text.trim());
      if (zh !== undefined) n.nodeValue = text.replace(text.trim(), zh);
    }
    for (const e of [scope, ...Array.from(scope.querySelectorAll('[placeholder], [title], [aria-label]'))]) {
      // A code editor's own text is the user's; its aria-label names the property.
      for (const a of e.closest('.cm-editor') ? ['aria-label'] : ATTRS) {
        const v = e.getAttribute(a);
        const zh = v === null ? undefined : zhOf(v.trim());
        if (zh !== undefined) e.setAttribute(a, zh);
      }
    }
  }
}

/** Translates the editor's own texts inside `container` while it lives; returns the stop function. */
export function localizeFormEditor(container: HTMLElement, locale: Locale): () => void {
  if (locale !== 'zh') return () => {};
  let queued = false;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      observer.disconnect();
      translateTree(container);
      observer.observe(container, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS });
    });
  });
  translateTree(container);
  observer.observe(container, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS });
  return () => observer.disconnect();
}
