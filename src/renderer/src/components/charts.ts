// The one place that registers the parts of ECharts the console draws with (tree-shaken).
import { use } from 'echarts/core'
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, TitleComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([LineChart, BarChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, TitleComponent, CanvasRenderer])

/** Colours from the page's CSS variables, so charts follow the light/dark theme. */
export function themeColors(): { fg: string; muted: string; border: string } {
  const s = getComputedStyle(document.documentElement)
  return { fg: s.getPropertyValue('--fg').trim() || '#222', muted: s.getPropertyValue('--muted').trim() || '#666', border: s.getPropertyValue('--border').trim() || '#ddd' }
}
