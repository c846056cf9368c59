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
  { path: '/rollouts', name: 'rollouts', component: () => import('./views/rollouts/RolloutsView.vue'), meta: { title: 'Rollouts', nav: true } },
  { path: '/rollouts/:id', name: 'rollout', component: () => import('./views/rollouts/RolloutDetailView.vue'), props: true, meta: { title: 'Rollout' } },
  { path: '/jobs', name: 'jobs', component: () => import('./views/JobsView.vue'), meta: { title: 'Jobs', nav: true } },
  { path: '/jobs/:id', name: 'job', component: () => import('./views/JobDetailView.vue'), props: true, meta: { title: 'Job' } },
  {
    path: '/diredi',
    name: 'diredi',
    component: () => import('./views/diredi/DirediLayout.vue'),
    redirect: '/diredi/rounds',
    meta: { title: 'DiReDi', nav: true },
    children: [
      { path: 'rounds', name: 'rounds', component: () => import('./views/diredi/RoundsView.vue'), meta: { title: 'Rounds' } },
      { path: 'rounds/:id', name: 'round', component: () => import('./views/diredi/RoundView.vue'), props: (r) => ({ id: String(r.params.id), tab: 'report' }), meta: { title: 'Round' } },
      { path: 'rounds/:id/qa', name: 'round-qa', component: () => import('./views/diredi/RoundView.vue'), props: (r) => ({ id: String(r.params.id), tab: 'qa' }), meta: { title: 'Round QA' } },
      { path: 'experiments', name: 'experiments', component: () => import('./views/diredi/ExperimentsView.vue'), meta: { title: 'Experiments' } },
      { path: 'experiments/:id', name: 'experiment', component: () => import('./views/diredi/ExperimentView.vue'), props: true, meta: { title: 'Experiment' } }
    ]
  },
  {
    path: '/models',
    name: 'models',
    component: () => import('./views/models/ModelsLayout.vue'),
    redirect: '/models/datasets',
    meta: { title: 'Models', nav: true },
    children: [
      { path: 'datasets', name: 'datasets', component: () => import('./views/models/DatasetsView.vue'), meta: { title: 'Datasets' } },
      { path: 'datasets/:id', name: 'dataset', component: () => import('./views/models/DatasetDetailView.vue'), props: true, meta: { title: 'Dataset' } },
      { path: 'teachers', name: 'teachers', component: () => import('./views/models/TeachersView.vue'), meta: { title: 'Teachers' } },
      { path: 'students', name: 'students', component: () => import('./views/models/StudentsView.vue'), meta: { title: 'Students' } },
      { path: 'artifacts', name: 'artifacts', component: () => import('./views/models/ArtifactsView.vue'), meta: { title: 'Artifacts' } },
      { path: 'm/:id', name: 'model', component: () => import('./views/models/ModelDetailView.vue'), props: true, meta: { title: 'Model' } }
    ]
  },
  { path: '/:rest(.*)*', redirect: '/' }
]

export const createConsoleRouter = () => createRouter({ history: createWebHashHistory(), routes })
