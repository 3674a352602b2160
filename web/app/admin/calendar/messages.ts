import { defineMessages } from '../../core/i18n.ts';

export const t = defineMessages({
  zh: {
    title: '工作日历',
    subtitle: '期限按中国工作日计算。内置数据覆盖到 {last} 年；此后各年的节假日和调休上班日，在国务院办公厅发布通知后由管理员在此录入。未录入的年份按周末和法定节日暂算。',
    provisionalBanner: '{year}年节假日安排尚未录入，期限按周末和法定节日暂算',
    provisionalHelp: '已按暂算设定的期限（运行中的计时器）保持原到期时间；录入后新计算的期限按录入的安排。',
    enterYear: '录入{year}年', years: '年份', year: '年份', source: '来源', holidays: '节假日', workdays: '调休上班日', notice: '通知',
    entered: '录入', actions: '操作', view: '查看', edit: '编辑', days: '{n} 天',
    library: '内置（{library}）', supplement: '管理员录入', provisional: '暂算',
    readOnly: '{year}年来自内置数据（{library}），只读。', prefilled: '已按法定节日预填，请按通知修改：放假日期、调休上班日。',
    noticeTitle: '通知标题', noticeNumber: '文号', noticeTitlePlaceholder: '国务院办公厅关于{year}年部分节假日安排的通知',
    date: '日期', name: '名称', namePlaceholder: '如 春节', addHoliday: '添加节假日', addWorkday: '添加调休上班日', remove: '删除',
    save: '保存', cancel: '取消', delete: '删除录入', deleteConfirm: '删除{year}年的录入？此后该年按周末和法定节日暂算。',
    saved: '已保存{year}年（第 {version} 版）。', deleted: '已删除{year}年的录入。', by: '{who}，{at}', noWorkdays: '无调休上班日',
    editing: '{year}年', version: '第 {version} 版',
  },
  en: {
    title: 'Working-day calendar',
    subtitle: 'Deadlines count Chinese working days. The built-in data covers the years up to {last}; for later years an administrator enters the holidays and make-up workdays here once the State Council has published them. Years not entered are counted provisionally with weekends and statutory holidays.',
    provisionalBanner: 'The {year} holiday schedule has not been entered; deadlines count weekends and statutory holidays for now',
    provisionalHelp: 'Deadlines already set provisionally (running timers) keep their due dates; deadlines computed after the year is entered follow it.',
    enterYear: 'Enter {year}', years: 'Years', year: 'Year', source: 'Source', holidays: 'Holidays', workdays: 'Make-up workdays', notice: 'Notice',
    entered: 'Entered', actions: 'Actions', view: 'View', edit: 'Edit', days: '{n} days',
    library: 'Built-in ({library})', supplement: 'Entered', provisional: 'Provisional',
    readOnly: '{year} comes from the built-in data ({library}) and is read-only.', prefilled: 'Prefilled with the statutory holidays: change the dates and add the make-up workdays as the notice says.',
    noticeTitle: 'Notice title', noticeNumber: 'Number', noticeTitlePlaceholder: 'General Office of the State Council notice on the {year} holidays',
    date: 'Date', name: 'Name', namePlaceholder: 'e.g. 春节', addHoliday: 'Add a holiday', addWorkday: 'Add a make-up workday', remove: 'Remove',
    save: 'Save', cancel: 'Cancel', delete: 'Delete entry', deleteConfirm: 'Delete the entry for {year}? The year is then counted provisionally.',
    saved: 'Saved {year} (version {version}).', deleted: 'The entry for {year} was deleted.', by: '{who}, {at}', noWorkdays: 'No make-up workdays',
    editing: '{year}', version: 'version {version}',
  },
});
