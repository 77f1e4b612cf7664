import type { CaseState } from '@telemed/contracts';

/** The open states the dashboard counts, in the order work moves through them. */
export const OPEN_STATES = [
  'submitted',
  'assigned',
  'in_review',
  'preliminary',
] as const satisfies CaseState[];
export type OpenState = (typeof OPEN_STATES)[number];

// distinct in hue and lightness, so the bars stay apart on a dim monitor and for red-green colour blindness
export const STATE_COLOURS: Record<OpenState, string> = {
  submitted: '#1f6f8b',
  assigned: '#5b8ff9',
  in_review: '#7262fd',
  preliminary: '#e8a33d',
};
export const BREACH_COLOUR = '#cf1322';

/** What every chart shares: no animation (old PCs, and a still picture to read), the app's font, readable text. */
export const CHART_BASE = {
  animation: false,
  textStyle: {
    fontFamily: "'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', 'PingFang SC', system-ui, sans-serif",
    fontSize: 13,
    color: '#262626',
  },
  tooltip: { trigger: 'axis' },
} as const;
