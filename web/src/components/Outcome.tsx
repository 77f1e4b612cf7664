import { CheckCircleFilled, CloseCircleFilled, QuestionCircleFilled, WarningFilled } from '@ant-design/icons';
import type { ReactNode } from 'react';

const ICONS = {
  success: <CheckCircleFilled className="outcome-icon success" />,
  warning: <WarningFilled className="outcome-icon warning" />,
  error: <CloseCircleFilled className="outcome-icon error" />,
  '404': <QuestionCircleFilled className="outcome-icon info" />,
} as const;

/** How something ended (sent, not found, failed), with what to do next: the look of Ant Design's Result, lighter. */
export function Outcome({
  status,
  title,
  subTitle,
  extra,
}: {
  status: keyof typeof ICONS;
  title: ReactNode;
  subTitle?: ReactNode;
  extra?: ReactNode;
}): React.JSX.Element {
  return (
    <div className="outcome">
      {ICONS[status]}
      <div className="outcome-title">{title}</div>
      {subTitle && <div className="outcome-sub">{subTitle}</div>}
      {extra && <div className="outcome-extra">{extra}</div>}
    </div>
  );
}
