import { Alert, Button } from 'antd';
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

/** A mark someone else in a consult drew: listed with their name in their colour, never saved with the case. */
export interface SharedMark extends MeasurementItem {
  author: string;
  colour: string;
}

/**
 * The marks on the series shown, each a button that goes to its image; with how saving went. In a consult, the
 * others' marks follow, each with who drew it.
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
