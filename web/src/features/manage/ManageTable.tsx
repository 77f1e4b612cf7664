import { Table, Typography, type FormInstance, type TableProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from './FormModal';
import { ManageToolbar } from './ManageToolbar';
import { refusalText } from './manage-api';

/**
 * A management table: keyed by id, the api's own words above it when loading failed, a calm line when it is empty,
 * and ten rows a page unless `pageSize` says otherwise (`false`: one long table).
 */
export function ManageTable<T extends { id: string }>({
  rows,
  error,
  emptyText,
  pageSize = 10,
  ...table
}: Omit<TableProps<T>, 'dataSource' | 'rowKey' | 'pagination'> & {
  rows: readonly T[] | undefined;
  error?: unknown;
  emptyText?: string;
  pageSize?: number | false;
}): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <>
      {error ? (
        <Typography.Paragraph type="danger" role="alert">
          {refusalText(error, t('errors.network'))}
        </Typography.Paragraph>
      ) : null}
      <Table<T>
        rowKey="id"
        size="middle"
        dataSource={rows}
        pagination={pageSize === false ? false : { pageSize, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: emptyText ?? t('manage.empty') }}
        {...table}
      />
    </>
  );
}

/**
 * A list a person adds to: what it is for and the button that adds, the table, and the dialog the button opens
 * (its fields are the children; `onCreate` sends them and the dialog closes when the api accepted them).
 */
export function ManageList<T extends { id: string }, V extends object>({
  hint,
  createLabel,
  form,
  formWidth,
  onCreate,
  children,
  ...table
}: Parameters<typeof ManageTable<T>>[0] & {
  hint: string;
  createLabel: string;
  form: FormInstance<V>;
  formWidth?: number;
  onCreate: (values: V) => Promise<unknown>;
  children: ReactNode;
}): React.JSX.Element {
  const [creating, setCreating] = useState(false);
  return (
    <>
      <ManageToolbar
        hint={hint}
        action={createLabel}
        onAction={() => {
          setCreating(true);
        }}
      />
      <ManageTable<T> {...table} />
      <FormModal<V>
        title={createLabel}
        open={creating}
        form={form}
        width={formWidth}
        onClose={() => {
          setCreating(false);
        }}
        onSave={onCreate}
      >
        {children}
      </FormModal>
    </>
  );
}
