import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { useEffect, useRef } from 'react';

/**
 * An ECharts chart drawn on canvas, its code loaded with the dashboard only. The chart is an image to assistive
 * technology, named by `label`; the numbers it draws are given as text beside it by the panel that uses it.
 */
export function Chart({
  option,
  label,
  height,
}: {
  option: EChartsCoreOption;
  label: string;
  height: number;
}): React.JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const latest = useRef(option);
  latest.current = option;

  useEffect(() => {
    let gone = false;
    let resize: ResizeObserver | undefined;
    void import('./echarts').then(({ init }) => {
      if (gone || !box.current) return;
      const made = init(box.current, null, { renderer: 'canvas' });
      made.setOption(latest.current);
      chart.current = made;
      resize = new ResizeObserver(() => {
        made.resize();
      });
      resize.observe(box.current);
    });
    return () => {
      gone = true;
      resize?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} role="img" aria-label={label} className="dashboard-chart" style={{ height }} />;
}
