import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { createApi } from './api'
import { createConsoleRouter } from './router'
import { provideApi } from './stores/api'
import './styles.css'

// The api first: it takes the session token out of the URL before the router reads the hash.
provideApi(createApi())
createApp(App).use(createPinia()).use(createConsoleRouter()).mount('#app')
