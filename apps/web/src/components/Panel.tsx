import { Spin } from 'antd';
import type { CSSProperties, ReactNode } from 'react';

/**
 * A titled box for a page's sections, drawn like antd's small Card. Not antd's Card: that one brings its Tabs
 * (and their menu and dropdown) into every page that uses it.
 */
export function Panel({
  title,
  extra,
  loading,
  children,
  style,
}: {
  title?: ReactNode;
  extra?: ReactNode;
  loading?: boolean;
  children?: ReactNode;
  size?: 'small';
  style?: CSSProperties;
}) {
  return (
    <div className="panel" style={style}>
      {(title !== undefined || extra !== undefined) && (
        <div className="panel-head">
          <div className="panel-title">{title}</div>
          {extra !== undefined && <div>{extra}</div>}
        </div>
      )}
      <div className="panel-body">{loading ? <Spin /> : children}</div>
    </div>
  );
}
