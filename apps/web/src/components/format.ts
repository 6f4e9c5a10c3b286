/** Dates and times as a Shanghai user reads them, in the user's language. */
export function formatTime(iso: string | null | undefined, language: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(language.startsWith('zh') ? 'zh-CN' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
  }).format(new Date(iso));
}

export function percent(rate: string | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${rate}%`;
}

/** The periods a filter offers: months of this and last year, newest first. */
export function recentMonths(today = new Date(), count = 24): string[] {
  const months: string[] = [];
  let year = today.getFullYear();
  let month = today.getMonth(); // the previous month is the newest reportable one
  for (let i = 0; i < count; i++) {
    if (month === 0) {
      month = 12;
      year--;
    }
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month--;
  }
  return months;
}
