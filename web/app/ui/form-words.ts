// The words form-js's viewer shows of its own, in the user's language (see vendor-words.ts).
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
};

(globalThis as { __gridflowWord?: (word: string) => string }).__gridflowWord = (word) => (getLocale() === 'zh' ? ZH[word] ?? word : word);
