import { useId, type ReactNode } from 'react';

/**
 * A titled panel of a screen, drawn like Ant Design's small card. The card itself brings its tabs along (10 KB of
 * script over a county line for a feature no screen here uses); this is a section with a heading.
 */
export function Panel({
  title,
  extra,
  className,
  children,
}: {
  title?: ReactNode;
  extra?: ReactNode;
  /** accepted for the card's call sites: panels here are always the small size */
  size?: 'small';
  className?: string;
  children?: ReactNode;
}): React.JSX.Element {
  const id = useId();
  return (
    <section className={className ? `panel ${className}` : 'panel'} aria-labelledby={title ? id : undefined}>
      {(title ?? extra) && (
        <header className="panel-head">
          {title && (
            <h3 className="panel-title" id={id}>
              {title}
            </h3>
          )}
          {extra && <div className="panel-extra">{extra}</div>}
        </header>
      )}
      <div className="panel-body">{children}</div>
    </section>
  );
}
