import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import type { ChartProps } from './EChart';

// ECharts is loaded only by pages that draw a chart: its chunk is not part of the first load.
const EChart = lazy(() => import('./EChart'));

export function Chart(props: ChartProps) {
  return (
    <Suspense fallback={<Spin />}>
      <EChart {...props} />
    </Suspense>
  );
}
