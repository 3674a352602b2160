import { defineMessages } from '../../core/i18n.ts';

/** The roles as people know them (web/access/policy.ts). */
export const ROLES: Record<string, { zh: string; en: string }> = {
  administrator: { zh: '系统管理员', en: 'Administrator' },
  committee: { zh: '党工委 / 管委会', en: 'Committee' },
  'grid-leader': { zh: '网格组长', en: 'Grid leader' },
  cadre: { zh: '干部', en: 'Cadre' },
  mentor: { zh: '导师', en: 'Mentor' },
  'department-officer': { zh: '局办 / 区级部门', en: 'Department officer' },
};

export const t = defineMessages({
  zh: {
    title: '用户与群组',
    subtitle: '账号、角色与所属群组（网格、部门等）；群组决定谁能认领哪些任务、看到哪些网格的案件。',
    users: '用户', groupsTab: '群组', newUser: '新建用户', editUser: '编辑用户 {name}', newGroup: '新建群组',
    username: '账号', displayName: '姓名', password: '初始密码', newPassword: '新密码', roles: '角色', groups: '群组',
    state: '状态', passwordChanged: '密码更新于', actions: '操作', active: '正常', disabled: '已停用', locked: '已锁定',
    demo: '演示账号', edit: '编辑', save: '保存', cancel: '取消', create: '创建', unlock: '解除锁定', enable: '启用', disable: '停用',
    setPassword: '设置密码', passwordRule: '至少 12 个字符，不含账号或姓名，不用常见密码。',
    search: '按账号、姓名或群组筛选', groupName: '群组名', description: '说明', createGroup: '创建群组', members: '成员数',
  },
  en: {
    title: 'Users and groups',
    subtitle: 'Accounts, roles and groups (grids, departments…); groups decide who may claim which tasks and see which grids\' cases.',
    users: 'Users', groupsTab: 'Groups', newUser: 'New user', editUser: 'Edit user {name}', newGroup: 'New group',
    username: 'Username', displayName: 'Name', password: 'Initial password', newPassword: 'New password', roles: 'Roles', groups: 'Groups',
    state: 'State', passwordChanged: 'Password changed', actions: 'Actions', active: 'Active', disabled: 'Disabled', locked: 'Locked',
    demo: 'demo', edit: 'Edit', save: 'Save', cancel: 'Cancel', create: 'Create', unlock: 'Unlock', enable: 'Enable', disable: 'Disable',
    setPassword: 'Set password', passwordRule: 'At least 12 characters, not containing the username or name, not a common password.',
    search: 'Filter by username, name or group', groupName: 'Group name', description: 'Description', createGroup: 'Create group', members: 'Members',
  },
});
