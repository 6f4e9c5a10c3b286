import { Button } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface DataColumn<T> {
  readonly key: string;
  readonly title: ReactNode;
  readonly render: (row: T, index: number) => ReactNode;
  /** Numbers read best aligned to the end of the cell. */
  readonly align?: 'end';
}

/**
 * A plain semantic table (caption-less, named by aria-label; header cells with scope) with a simple pager.
 * Every table of the console uses it instead of antd's Table, whose filters, tree and selection code
 * (~65 kB gzip) would otherwise be part of the page's first load; and screen readers announce its headers.
 */
export function DataTable<T>({
  label,
  rows,
  rowKey,
  columns,
  empty,
  page = 1,
  pageSize,
  total,
  onPage,
  rowClassName,
}: {
  label: string;
  rows: readonly T[];
  rowKey: (row: T) => string;
  columns: readonly DataColumn<T>[];
  empty?: ReactNode;
  /** 1-based; with pageSize and onPage the table pages through rows itself unless the server gives total. */
  page?: number;
  pageSize?: number;
  total?: number;
  onPage?: (page: number) => void;
  /** A class for a row that needs to stand out (e.g. a changed value in a diff). */
  rowClassName?: (row: T) => string | undefined;
}) {
  const { t } = useTranslation();
  const serverPaged = total !== undefined;
  const count = total ?? rows.length;
  const pages = pageSize ? Math.max(1, Math.ceil(count / pageSize)) : 1;
  const current = Math.min(Math.max(1, page), pages);
  const shown = pageSize && !serverPaged ? rows.slice((current - 1) * pageSize, current * pageSize) : rows;
  return (
    <div className="data-table">
      <table aria-label={label}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" className={column.align === 'end' ? 'data-table-end' : undefined}>
                {column.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="data-table-empty">
                {empty ?? t('table.empty')}
              </td>
            </tr>
          ) : (
            shown.map((row, index) => (
              <tr key={rowKey(row)} className={rowClassName?.(row)}>
                {columns.map((column) => (
                  <td key={column.key} className={column.align === 'end' ? 'data-table-end' : undefined}>
                    {column.render(row, index)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
      {pageSize && pages > 1 && onPage && (
        <nav className="data-table-pager no-print" aria-label={t('table.pager', { label })}>
          <Button size="small" disabled={current <= 1} onClick={() => onPage(current - 1)}>
            {t('table.previous')}
          </Button>
          <span aria-live="polite">{t('table.pageOf', { page: current, pages, count })}</span>
          <Button size="small" disabled={current >= pages} onClick={() => onPage(current + 1)}>
            {t('table.next')}
          </Button>
        </nav>
      )}
    </div>
  );
}
