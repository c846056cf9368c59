import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { createApi } from './api'
import { provideApi } from './stores/api'
import './styles.css'

provideApi(createApi())
createApp(App).use(createPinia()).mount('#app')
