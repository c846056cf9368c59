// The one place that registers the parts of ECharts the console draws with (tree-shaken).
import { use } from 'echarts/core'
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, TitleComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([LineChart, BarChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, TitleComponent, CanvasRenderer])

/** Colours from the page's CSS variables, so charts follow the light/dark theme. */
export function themeColors(): { fg: string; muted: string; border: string; accent: string; panel: string } {
  const s = getComputedStyle(document.documentElement)
  const v = (name: string, fallback: string) => s.getPropertyValue(name).trim() || fallback
  return { fg: v('--fg', '#222'), muted: v('--muted', '#666'), border: v('--border', '#ddd'), accent: v('--accent', '#1d4ed8'), panel: v('--panel', '#fff') }
}
