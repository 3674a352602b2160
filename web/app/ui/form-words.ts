// The words form-js shows of its own (the viewer, and the designer's canvas), in the user's
// language (see vendor-words.ts). `new:` keys are the labels a field dropped in the designer gets.
import { getLocale } from '../core/i18n.ts';

const ZH: Record<string, string> = {
  'No results': '无匹配项',
  Search: '搜索',
  Select: '请选择',
  'All values selected': '已全部选择',
  'Add new': '添加',
  Collapse: '收起',
  'Expand all': '全部展开',
  Browse: '选择文件',
  Increment: '增加',
  Decrement: '减少',
  'hh:mm': '时:分', 'hh:mm --': '时:分 上午/下午', 'Date and time must both be entered.': '日期和时间必须都填写。',
  'Document reference is not defined.': '未设置文档引用。', 'Unable to download document': '文档无法下载',
  'No options source defined in the form definition': '表单定义中没有设置选项来源', ' of ': ' / ', 'Previous page': '上一页', 'Next page': '下一页', 'Click to remove sorting': '点击取消排序',
  'No files selected': '未选择文件',
  'No content to show.': '暂无内容。',
  'External content couldn\'t be loaded.': '外部内容无法加载。',
  'This is an image placeholder': '图片占位',
  'Nothing to show.': '暂无数据。',
  'Drag and drop components here.': '把组件拖到这里。',
  'Opened in popup': '已在弹出窗口中打开',
  iFrame: '内嵌网页',
  'Html view is empty': 'HTML 内容为空', 'Expression is empty': '表达式为空', Repeatable: '可重复', Content: '内容', 'Document preview': '文档预览',
  'new:Button': '按钮', 'new:Checkbox': '复选框', 'new:Checkbox group': '复选组', 'new:Group': '分组', 'new:iFrame': '内嵌网页',
  'new:Number': '数字', 'new:Radio group': '单选组', 'new:Select': '下拉选择', 'new:Dynamic list': '动态列表', 'new:Tag list': '标签列表',
  'new:Text field': '文本框', 'new:Text area': '多行文本', 'new:Document preview': '文档预览', 'new:File picker': '文件上传',
  'new:Value': '选项', 'new:Table': '表格', 'new:Name': '名称', 'new:Date': '日期', 'new:# Text': '# 文本',
};

/** Words built from what form-js computes: a date format (yyyy/mm/dd → 年/月/日), a column's label. */
function built(word: string): string | undefined {
  const [kind, rest] = [word.slice(0, word.indexOf(':')), word.slice(word.indexOf(':') + 1)];
  if (kind === 'date-format') return rest.replace(/y+/g, '年').replace(/m+/g, '月').replace(/d+/g, '日');
  if (kind === 'remove-item') return `删除第 ${rest} 项`;
  if (kind === 'download') return `下载 ${rest}`;
  if (kind === 'sort-descending') return `点击按“${rest}”降序排列`;
  if (kind === 'sort-ascending') return `点击按“${rest}”升序排列`;
  return undefined;
}

// Answers undefined for a word built from an expression in English: the bundle then computes its own.
(globalThis as { __gridflowWord?: (word: string) => string | undefined }).__gridflowWord = (word) => {
  const zh = getLocale() === 'zh';
  if (/^(date-format|remove-item|download|sort-descending|sort-ascending):/.test(word)) return zh ? built(word) : undefined;
  const english = word.startsWith('new:') ? word.slice(4) : word;
  return zh ? ZH[word] ?? english : english;
};
