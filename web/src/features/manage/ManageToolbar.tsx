import { Button, Typography } from 'antd';

/** Above a management table: what the table is for, and the button that adds to it. */
export function ManageToolbar({
  hint,
  action,
  onAction,
}: {
  hint: string;
  action: string;
  onAction: () => void;
}): React.JSX.Element {
  return (
    <div className="manage-toolbar">
      <Typography.Paragraph type="secondary" className="manage-hint">
        {hint}
      </Typography.Paragraph>
      <Button type="primary" onClick={onAction}>
        {action}
      </Button>
    </div>
  );
}
