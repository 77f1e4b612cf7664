import { ERROR_STATUS, FIELD_REFUSALS, REFUSALS } from '@telemed/contracts';
import { describe, expect, it } from 'vitest';
import { refusals as en } from './locales/refusals.en';
import { refusals as zh } from './locales/refusals.zh';
import { sayRefusal, type ProblemAnswer } from './refusals';

const LANGUAGES = { zh, en };
const placeholders = (text: string | undefined): string[] =>
  [...(text ?? '').matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '').sort();

describe('every refusal the api and the domain can give is said in Chinese and in English', () => {
  // the lists in contracts are the source of truth: AppError and FieldError accept no code outside them
  const problems = [...Object.keys(ERROR_STATUS), ...Object.keys(REFUSALS)];

  it.each(Object.entries(LANGUAGES))('%s has a message for every error code and refusal', (_, messages) => {
    const table = messages.problems as Record<string, string | undefined>;
    expect(problems.filter((code) => !table[code]?.trim())).toEqual([]);
  });

  it.each(Object.entries(LANGUAGES))(
    '%s has a message for every reason a field is refused',
    (_, messages) => {
      const table = messages.fields as Record<string, string | undefined>;
      expect(FIELD_REFUSALS.filter((reason) => !table[reason]?.trim())).toEqual([]);
    },
  );

  it('names the same values in both languages', () => {
    const differ = [
      ...problems.map((code) => ['problems', code] as const),
      ...FIELD_REFUSALS.map((reason) => ['fields', reason] as const),
    ].filter(([part, key]) => {
      const inZh = (zh[part] as Record<string, string>)[key];
      const inEn = (en[part] as Record<string, string>)[key];
      return placeholders(inZh).join() !== placeholders(inEn).join();
    });
    expect(differ).toEqual([]);
  });

  it('keeps a particular refusal apart from the error codes, so its code alone says which it is', () => {
    expect(Object.keys(REFUSALS).filter((r) => r in ERROR_STATUS)).toEqual([]);
  });
});

describe('a refusal in the user’s language', () => {
  const illegal = {
    code: 'illegal_transition',
    reason: 'not_in_this_state',
    params: { action: 'submit', state: 'assigned', allowed: ['draft'] },
    detail: 'cannot submit a case that is assigned; allowed from: draft',
  };

  it('says a sign-in refusal in Chinese, and in English on request', () => {
    const wrong = {
      code: 'invalid_credentials',
      reason: 'wrong_password',
      detail: 'the username or password is wrong',
    };
    expect(sayRefusal(wrong, zh, 'zh', '').message).toBe('用户名或密码错误');
    expect(sayRefusal(wrong, en, 'en', '').message).toBe('The username or password is wrong');
    const tooMany = {
      code: 'rate_limited',
      reason: 'too_many_requests',
      params: { seconds: 42 },
      detail: 'x',
    };
    expect(sayRefusal(tooMany, zh, 'zh', '').message).toBe('操作过于频繁，请 42 秒后再试');
  });

  it('says the state, the action and the states it is allowed from in the words of the language', () => {
    expect(sayRefusal(illegal, zh, 'zh', '').message).toBe('病例当前为“已分配”，不能提交（仅限草稿）');
    expect(sayRefusal(illegal, en, 'en', '').message).toBe(
      'Cannot submit a case that is assigned (only when a draft)',
    );
  });

  it('names who may act, several joined as the language joins them', () => {
    const forbidden = {
      code: 'forbidden',
      reason: 'case_not_permitted',
      params: { allow: ['assignee', 'admin'] },
    };
    expect(sayRefusal(forbidden, zh, 'zh', '').message).toBe('只有负责的专科医生或管理员可以进行此操作');
    expect(sayRefusal(forbidden, en, 'en', '').message).toBe(
      'Only the assigned specialist or an administrator can do this',
    );
  });

  it('says a time on the reader’s clock, not as the api wrote it', () => {
    const until = '2026-12-07T10:15:00.000Z';
    const locked = { code: 'account_locked', reason: 'locked_until', params: { until }, detail: 'locked' };
    const said = sayRefusal(locked, zh, 'zh', '').message;
    expect(said).toMatch(/^登录失败次数过多，账户已锁定至 .+；管理员也可以为您解锁$/);
    expect(said).not.toContain(until);
  });

  it('says a refusal with no particular reason by its error code', () => {
    expect(sayRefusal({ code: 'not_found', detail: 'hospital 7 does not exist' }, zh, 'zh', '').message).toBe(
      '要找的内容不存在，可能已被删除',
    );
  });

  it('keeps the api’s own words for a code or reason it does not know, or a value it lacks', () => {
    const newer = { code: 'conflict', reason: 'moon_in_wrong_phase', detail: 'wait for the full moon' };
    expect(sayRefusal(newer, zh, 'zh', '').message).toBe('wait for the full moon');
    expect(sayRefusal({ code: 'teapot', detail: 'short and stout' }, zh, 'zh', '').message).toBe(
      'short and stout',
    );
    expect(sayRefusal({ code: 'teapot' }, zh, 'zh', 'Bad Gateway').message).toBe('Bad Gateway');
    const bare = { code: 'internal', detail: 'something went wrong on our side' };
    expect(sayRefusal(bare, zh, 'zh', '').message).toBe('something went wrong on our side');
    expect(sayRefusal({ ...bare, params: { reference: 'req-7' } }, zh, 'zh', '').message).toContain('req-7');
  });

  it('says each field at fault, and keeps the api’s words for a field reason it does not know', () => {
    const invalid: ProblemAnswer = {
      code: 'validation_failed',
      detail: 'the body is not valid: fix the listed fields',
      errors: [
        {
          field: 'urgency',
          message: 'must be one of: stat, urgent, routine',
          reason: 'one_of',
          params: { choices: ['stat', 'urgent', 'routine'] },
        },
        {
          field: 'endsAt',
          message: 'must be later than startsAt',
          reason: 'later_than',
          params: { other: 'startsAt' },
        },
        {
          field: 'clinicalQuestion',
          message: 'must be string',
          reason: 'wrong_type',
          params: { type: 'string' },
        },
        { field: 'mrn', message: 'is odd', reason: 'odd_one' },
      ],
    };
    const said = sayRefusal(invalid, zh, 'zh', '');
    expect(said.message).toBe('填写的内容有误，请按提示修改');
    expect(said.fields).toEqual([
      { field: 'urgency', message: '只能是以下之一：stat、urgent、routine' },
      { field: 'endsAt', message: '须晚于开始时间' },
      { field: 'clinicalQuestion', message: '应为文字' },
      { field: 'mrn', message: 'is odd' },
    ]);
    expect(sayRefusal(invalid, en, 'en', '').fields[1]).toEqual({
      field: 'endsAt',
      message: 'Must be later than the start',
    });
  });
});
