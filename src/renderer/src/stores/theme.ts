import { defineStore } from 'pinia'
import { ref, watchEffect } from 'vue'

export type ThemeChoice = 'system' | 'light' | 'dark'
const KEY = 'diredi.theme'

/** Light, dark, or follow the system; kept across launches. */
export const useThemeStore = defineStore('theme', () => {
  const stored = localStorage.getItem(KEY)
  const choice = ref<ThemeChoice>(stored === 'light' || stored === 'dark' ? stored : 'system')
  watchEffect(() => {
    localStorage.setItem(KEY, choice.value)
    if (choice.value === 'system') delete document.documentElement.dataset.theme
    else document.documentElement.dataset.theme = choice.value
  })
  const cycle = () => {
    choice.value = choice.value === 'system' ? 'light' : choice.value === 'light' ? 'dark' : 'system'
  }
  return { choice, cycle }
})
