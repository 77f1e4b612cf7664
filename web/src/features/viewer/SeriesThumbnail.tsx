import * as cornerstone from 'cornerstone-core';
import { useEffect, useRef } from 'react';

/**
 * A small picture of a series (its middle image) for the series list, drawn once the reader's own image is on
 * screen, so the thumbnails never hold back the first image.
 */
export function SeriesThumbnail({ imageId, start }: { imageId: string; start: boolean }): React.JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!start) return;
    let cancelled = false;
    cornerstone.loadAndCacheImage(imageId).then(
      (image) => {
        if (!cancelled && canvas.current) cornerstone.renderToCanvas(canvas.current, image);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [imageId, start]);
  return <canvas ref={canvas} width={64} height={64} className="viewer-thumbnail" aria-hidden="true" />;
}
