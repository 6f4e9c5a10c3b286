import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface ChartProps {
  readonly option: echarts.EChartsCoreOption;
  readonly height?: number;
  /** What the chart shows, for screen readers (the same figures are in a table on the page). */
  readonly label: string;
  readonly onClickName?: (name: string) => void;
}

export default function EChart({ option, height = 280, label, onClickName }: ChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'svg' });
    chart.current = instance;
    const resize = () => instance.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      instance.dispose();
    };
  }, []);
  useEffect(() => {
    // Drawn at once, not grown: a half-grown bar reads as a wrong figure in a screenshot or a printout.
    chart.current?.setOption({ animation: false, ...option }, true);
  }, [option]);
  useEffect(() => {
    const instance = chart.current;
    if (!instance || !onClickName) return;
    const handler = (params: { name?: string }) => {
      if (params.name) onClickName(params.name);
    };
    instance.on('click', handler);
    return () => {
      instance.off('click', handler);
    };
  }, [onClickName]);
  return <div ref={element} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
