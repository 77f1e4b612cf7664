import { Alert, Button, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Annotations, MeasurementItem } from './annotations';
import type { ViewerSeries } from './viewer-api';

const num = (value: unknown, digits: number): string =>
  typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '—';

/** What a mark measured, in words and real units. */
function useMeasurementText(): (item: MeasurementItem) => string {
  const { t } = useTranslation();
  return (item) => {
    const kind = t(`viewer.kind.${item.tool}`);
    const d = item.data;
    switch (item.tool) {
      case 'Length':
        return `${kind} ${num(d.length, 1)} mm`;
      case 'Angle':
        return `${kind} ${num(d.rAngle, 1)}°`;
      case 'EllipticalRoi':
      case 'RectangleRoi': {
        const stats = (d.cachedStats ?? {}) as Record<string, unknown>;
        return `${kind} ${t('viewer.stats', { area: num(stats.area, 1), mean: num(stats.mean, 1), sd: num(stats.stdDev, 1) })}`;
      }
      case 'ArrowAnnotate':
        return `${kind} ${typeof d.text === 'string' ? d.text : ''}`;
    }
  };
}

/** An arrow's text being changed in the list: Enter saves, Escape leaves it as it was. */
function TextEditor({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (text: string) => void;
  onCancel: () => void;
}): React.JSX.Element {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  return (
    <form
      className="viewer-measurement-edit"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) onSave(text.trim());
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <Input
        aria-label={t('viewer.arrowText.label')}
        size="small"
        autoFocus
        maxLength={200}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
        }}
      />
      <Button size="small" type="primary" htmlType="submit" disabled={!text.trim()}>
        {t('viewer.arrowText.save')}
      </Button>
      <Button size="small" onClick={onCancel}>
        {t('viewer.arrowText.cancel')}
      </Button>
    </form>
  );
}

/** A mark someone else in a consult drew: listed with their name in their colour, never saved with the case. */
export interface SharedMark extends MeasurementItem {
  author: string;
  colour: string;
}

/**
 * The marks on the series shown, each a button that goes to its image, with its arrow text editable and the mark
 * deletable by the reader who may annotate; with how saving went. In a consult, the others' marks follow, each with
 * who drew it.
 */
export function MeasurementList({
  annotations,
  series,
  readOnly,
  liveOnly = false,
  others = [],
  onOpen,
}: {
  annotations: Annotations;
  series: ViewerSeries | undefined;
  readOnly: boolean;
  /** this reader's marks are shared live in a consult but not saved with the case */
  liveOnly?: boolean;
  others?: SharedMark[] | undefined;
  onOpen: (index: number) => void;
}): React.JSX.Element {
  const { t } = useTranslation();
  const describe = useMeasurementText();
  const items: (MeasurementItem & Partial<SharedMark>)[] = [
    ...annotations.items,
    ...others.filter((o) => !annotations.items.some((i) => i.id === o.id)),
  ].filter((i) => i.seriesUid === series?.uid);
  const { status } = annotations;
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <section aria-labelledby="viewer-measurements" className="viewer-measurements">
      <h3 id="viewer-measurements" className="panel-title">
        {t('viewer.measurements')}
      </h3>
      {readOnly && <p className="viewer-hint">{t('viewer.readOnly')}</p>}
      {liveOnly && <p className="viewer-hint">{t('viewer.liveOnly')}</p>}
      {items.length === 0 ? (
        <p className="viewer-hint">{t('viewer.noMeasurements')}</p>
      ) : (
        <ul className="viewer-measurement-list" aria-label={t('viewer.measurements')}>
          {items.map((item) => (
            <li key={item.id}>
              <Button
                type="link"
                size="small"
                onClick={() => {
                  onOpen(item.index);
                }}
              >
                <span className="viewer-measurement">{describe(item)}</span>
                {item.author && (
                  <span className="viewer-measurement-author" style={{ borderColor: item.colour }}>
                    <bdi>{item.author}</bdi>
                  </span>
                )}
                <span className="viewer-measurement-image">
                  {t('viewer.onImage', { index: item.index + 1 })}
                </span>
              </Button>
              {!readOnly && !item.author && item.tool === 'ArrowAnnotate' && editing !== item.id && (
                <Button
                  size="small"
                  aria-label={t('viewer.editMark', { what: describe(item) })}
                  onClick={() => {
                    setEditing(item.id);
                  }}
                >
                  {t('viewer.editText')}
                </Button>
              )}
              {!readOnly && !item.author && (
                <Button
                  size="small"
                  danger
                  aria-label={t('viewer.removeMark', { what: describe(item) })}
                  onClick={() => {
                    annotations.remove(item.id);
                  }}
                >
                  {t('viewer.remove')}
                </Button>
              )}
              {editing === item.id && (
                <TextEditor
                  initial={typeof item.data.text === 'string' ? item.data.text : ''}
                  onSave={(text) => {
                    setEditing(null);
                    annotations.setText(item.id, text);
                  }}
                  onCancel={() => {
                    setEditing(null);
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <div role="status" className="viewer-save-status">
        {status === 'saving' && t('viewer.saving')}
        {status === 'saved' && t('viewer.saved')}
      </div>
      {typeof status === 'object' && (
        <Alert type="error" showIcon title={t('viewer.saveFailed', { message: status.failed })} />
      )}
    </section>
  );
}
