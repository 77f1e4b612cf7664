import type {
  CaseAction,
  CaseRelation,
  CaseState,
  ErrorCode,
  FieldRefusal,
  Refusal,
  Role,
} from '@telemed/contracts';

/**
 * What the api's refusals say, in one language: by the refusal's code (or its error code when it has no particular
 * one), each field's by its reason, and the words the values in them are said with. Loaded only when the api
 * refuses, in the language on screen.
 */
export interface RefusalMessages {
  problems: Record<ErrorCode | Refusal, string>;
  fields: Record<FieldRefusal, string>;
  words: {
    state: Record<CaseState, string>;
    action: Record<CaseAction, string>;
    /** who may act, said as a person names them: a case relation or a role */
    allow: Record<CaseRelation | Role, string>;
    role: Record<Role, string>;
    type: Record<string, string>;
    format: Record<string, string>;
    /** the fields another field is measured against */
    field: Record<string, string>;
    /** between the items of a list, and before the last of several who may act */
    list: string;
    or: string;
  };
}

/** Simplified Chinese. */
export const refusals: RefusalMessages = {
  problems: {
    bad_request: '请求有误，请刷新页面后重试',
    validation_failed: '填写的内容有误，请按提示修改',
    unauthenticated: '请先登录',
    invalid_credentials: '无法登录，请检查用户名和密码',
    session_expired: '登录已过期，请重新登录',
    forbidden: '您没有权限进行此操作',
    not_found: '要找的内容不存在，可能已被删除',
    not_acceptable: '无法按所要的格式提供此内容',
    conflict: '与最新的数据冲突，请刷新后重试',
    illegal_transition: '病例当前的状态不允许此操作，请刷新后查看',
    payload_too_large: '发送的内容过大，请减少后重试',
    unsupported_media_type: '发送的内容格式不受支持',
    account_locked: '账户已锁定，请联系管理员解锁',
    rate_limited: '操作过于频繁，请稍后再试',
    internal: '服务器出错，未做任何更改；联系技术支持时请提供编号 {{reference}}',
    unavailable: '服务暂时不可用，请稍后再试',
    wrong_password: '用户名或密码错误',
    account_deactivated: '此账户已停用，请联系管理员',
    locked_until: '登录失败次数过多，账户已锁定至 {{until}}；管理员也可以为您解锁',
    too_many_requests: '操作过于频繁，请 {{seconds}} 秒后再试',
    sign_in_first: '请先登录',
    token_expired: '登录已失效，请重新登录',
    session_ended: '本次登录已结束，请重新登录',
    refresh_token_reused: '为安全起见，本次登录已结束，请重新登录',
    case_not_permitted: '只有{{allow}}可以进行此操作',
    role_not_permitted: '只有{{allow}}可以进行此操作',
    county_staff_only: '只有县级医院的工作人员可以发送检查和新建病例',
    hand_within_partners:
      '只能交给病例所在科室或与申请科室结对科室的专科医生；如需交给其他医生，请联系管理员',
    own_technicians_only: '只能查看本院技师的情况',
    case_not_found: '病例不存在，或您无权查看',
    no_report_yet: '此病例还没有报告',
    not_in_this_state: '病例当前为“{{state}}”，不能{{action}}（仅限{{allowed}}）',
    final_report_locked: '最终报告已锁定，不能修改；请写补充报告并说明原因',
    second_opinion_not_now: '病例当前为“{{state}}”，不能请求第二意见（仅限{{allowed}}）',
    rating_not_now: '病例当前为“{{state}}”，还不能评价图像质量，请先开始阅片（仅限{{allowed}}）',
    no_partner_department: '申请科室没有有效的市级结对科室，请联系管理员添加科室结对',
    second_opinion_open: '{{specialist}} 的第二意见尚未给出，请等待或先撤回',
    no_open_second_opinion: '此病例没有进行中的第二意见请求，可能已答复或已撤回',
    no_critical_to_acknowledge: '此病例没有待确认的危急值，可能已有人确认',
    measurements_changed: '测量已在别处保存（第 {{version}} 版之后），请重新加载后再测量',
    study_already_linked: '此病例已关联了另一项检查',
    annotation_ids_repeat: '有两个标注编号相同，请重新加载后再保存',
    username_taken: '用户名 {{username}} 已被使用，请换一个',
    hospital_code_taken: '医院编码 {{code}} 已存在，请换一个',
    department_code_taken: '本院已有编码为 {{code}} 的科室，请换一个',
    already_partners: '这两个科室已经结对',
    template_name_taken: '已有名为“{{name}}”的模板，请换一个名称',
    shift_overlaps: '与该医生已有的班次（{{startsAt}} 至 {{endsAt}}）重叠，请先删除那个班次或另选时间',
  },
  fields: {
    required: '必填',
    unknown_field: '不是可识别的字段，请去掉',
    one_of: '只能是以下之一：{{choices}}',
    wrong_type: '应为{{type}}',
    too_short: '至少 {{limit}} 个字',
    too_long: '最多 {{limit}} 个字',
    too_small: '不能小于 {{limit}}',
    too_large: '不能大于 {{limit}}',
    too_few: '至少 {{limit}} 项',
    too_many: '最多 {{limit}} 项',
    bad_format: '格式不对，应为{{format}}',
    bad_pattern: '格式不对',
    invalid: '内容无效',
    active_specialist: '须为在职的专科医生',
    specialist_in_circle: '须为病例所在科室或与申请科室结对科室的另一位在职专科医生',
    own_hospital_department: '请选择本院的科室',
    specialists_department: '须为该医生所在的科室',
    later_than: '须晚于{{other}}',
    at_least: '不能小于{{other}}',
    addendum_reason: '请说明补充的原因',
    reason_only_for_addendum: '只有补充报告需要填写原因',
    needs_hospital: '{{role}}必须属于一家医院',
    needs_department: '{{role}}必须属于一个科室',
    no_such_department: '科室不存在',
    no_such_hospital: '医院不存在',
    department_of_other_hospital: '该科室属于另一家医院',
    technician_in_county: '技师须在县级医院的科室',
    specialist_in_city: '专科医生须在市级医院的科室',
    county_department: '须为县级医院的科室',
    city_department: '须为市级医院的科室',
    time_window_both_ends: '时间段须同时填写开始和结束，或都不填',
    time_zone: '须为时区名称，如 Asia/Shanghai 或 Asia/Urumqi',
  },
  words: {
    state: {
      draft: '草稿',
      submitted: '已提交',
      assigned: '已分配',
      in_review: '阅片中',
      preliminary: '初步报告',
      final: '最终报告',
      cancelled: '已取消',
    },
    action: {
      submit: '提交',
      assign: '分配',
      claim: '认领',
      start_review: '开始阅片',
      preliminary: '发出初步报告',
      finalize: '发出最终报告',
      addendum: '写补充报告',
      release: '释放回池',
      reassign: '改派',
      cancel: '取消',
    },
    allow: {
      admin: '管理员',
      requester: '申请医院',
      requesting_department: '申请科室',
      assignee: '负责的专科医生',
      department_specialist: '病例所在科室的专科医生',
      second_reader: '受邀给出第二意见的医生',
      technician: '技师',
      specialist: '专科医生',
    },
    role: { technician: '技师', specialist: '专科医生', admin: '管理员' },
    type: {
      string: '文字',
      number: '数字',
      integer: '整数',
      boolean: '是或否',
      array: '列表',
      object: '对象',
      null: '空',
    },
    format: {
      date: '日期',
      'date-time': '日期和时间',
      time: '时间',
      uuid: '编号',
      email: '电子邮件地址',
      uri: '网址',
    },
    field: { startsAt: '开始时间', 'criticalAckMinutes.head': '科主任的时限' },
    list: '、',
    or: '或',
  },
};
