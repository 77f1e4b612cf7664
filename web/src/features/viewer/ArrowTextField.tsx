import { Button, Input, type InputRef } from 'antd';
import { useId, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArrowTextRequest } from './arrow-text';

// the field is this wide; it opens beside the arrow's end but stays inside the viewport
const WIDTH = 260;

/**
 * The arrow annotation's text, typed in a labelled field beside the arrow just drawn (or double-clicked): Enter or
 * 保存 keeps it, Escape or 取消 drops a new arrow (an edited one keeps its text).
 */
export function ArrowTextField({
  request,
  at,
}: {
  request: ArrowTextRequest;
  /** where the arrow ended, in the viewport's pixels; the middle when unknown */
  at: { x: number; y: number } | null;
}): React.JSX.Element {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState(request.initial);
  const box = useRef<HTMLFormElement>(null);
  const input = useRef<InputRef>(null);
  const [place, setPlace] = useState({ left: 8, top: 8 });

  // placed before it is painted, so it never shows where it does not belong
  useLayoutEffect(() => {
    const parent = box.current?.parentElement;
    if (!parent) return;
    const width = parent.clientWidth;
    const height = parent.clientHeight;
    const x = at?.x ?? width / 2;
    const y = at?.y ?? height / 2;
    setPlace({
      left: Math.max(8, Math.min(width - WIDTH - 36, x + 12)),
      top: Math.max(8, Math.min(height - 96, y + 12)),
    });
  }, [at]);
  useLayoutEffect(() => {
    input.current?.focus();
  }, []);

  const cancel = (): void => {
    request.done(null);
  };
  return (
    <form
      ref={box}
      className="viewer-arrow-text"
      aria-label={t('viewer.arrowText.title')}
      style={{ width: WIDTH, ...place }}
      onSubmit={(e) => {
        e.preventDefault();
        request.done(text);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          cancel();
        }
      }}
      // the image under the field must not start a new mark or scroll
      onMouseDown={(e) => {
        e.stopPropagation();
      }}
      onWheel={(e) => {
        e.stopPropagation();
      }}
    >
      <label htmlFor={id} className="viewer-arrow-text-label">
        {t('viewer.arrowText.label')}
      </label>
      <Input
        id={id}
        ref={input}
        autoFocus
        maxLength={200}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
        }}
      />
      <div className="viewer-arrow-text-actions">
        <Button size="small" onClick={cancel}>
          {t('viewer.arrowText.cancel')}
        </Button>
        <Button size="small" type="primary" htmlType="submit" disabled={!text.trim()}>
          {t('viewer.arrowText.save')}
        </Button>
      </div>
    </form>
  );
}
