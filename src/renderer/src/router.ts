import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import StatusView from './views/StatusView.vue'

/**
 * Every page of the console. Hash history works both from file:// (Electron) and from the web host;
 * the api module consumes the `#token=` fragment before the router starts.
 */
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'status', component: StatusView, meta: { title: 'Status', nav: true } },
  { path: '/fleet', name: 'fleet', component: () => import('./views/FleetView.vue'), meta: { title: 'Fleet', nav: true } },
  { path: '/fleet/:id', name: 'board', component: () => import('./views/BoardView.vue'), props: true, meta: { title: 'Board' } },
  { path: '/jobs', name: 'jobs', component: () => import('./views/JobsView.vue'), meta: { title: 'Jobs', nav: true } },
  { path: '/jobs/:id', name: 'job', component: () => import('./views/JobDetailView.vue'), props: true, meta: { title: 'Job' } },
  { path: '/:rest(.*)*', redirect: '/' }
]

export const createConsoleRouter = () => createRouter({ history: createWebHashHistory(), routes })
