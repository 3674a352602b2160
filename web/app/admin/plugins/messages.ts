import { defineMessages } from '../../core/i18n.ts';

export const t = defineMessages({
  zh: {
    title: '插件与设置',
    subtitle: '部门插件提供可拖入流程图的审核、审批等步骤（元素模板）及其作业处理器；在这里启用、停用插件并修改其设置。',
    none: '尚未安装插件。', running: '运行中', disabled: '已停用', failed: '加载失败', enable: '启用', disable: '停用', settings: '设置',
    jobTypes: '作业类型', templates: '元素模板', forms: '表单', processes: '流程', failedToLoad: '未能加载的插件',
    noSettings: '此插件没有设置项。', formView: '表单', jsonView: 'JSON', saveSettings: '保存设置', saved: '设置已保存。',
    badJson: 'JSON 格式不正确。', onePerLine: '每行一项。', addItem: '添加一项', removeItem: '删除此项',
  },
  en: {
    title: 'Plugins and settings',
    subtitle: 'Department plugins provide review and approval steps to drop into diagrams (element templates) and their job workers; enable, disable and configure them here.',
    none: 'No plugins are installed.', running: 'running', disabled: 'disabled', failed: 'failed to load', enable: 'Enable', disable: 'Disable', settings: 'Settings',
    jobTypes: 'Job types', templates: 'Element templates', forms: 'Forms', processes: 'Processes', failedToLoad: 'Plugins that failed to load',
    noSettings: 'This plugin has no settings.', formView: 'Form', jsonView: 'JSON', saveSettings: 'Save settings', saved: 'Settings saved.',
    badJson: 'The JSON is not valid.', onePerLine: 'One per line.', addItem: 'Add an item', removeItem: 'Remove this item',
  },
});
